package wire

// Code is an error code of the contract, the value of Error.Code
// (docs/PROTOCOL.md, "Error codes").
type Code string

// The contract's error codes.
const (
	BadRequest    Code = "bad_request"
	NotAllowed    Code = "not_allowed"
	DialFailed    Code = "dial_failed"
	TLSFailed     Code = "tls_failed"
	BadLineEnding Code = "bad_line_ending"
	FrameTooLarge Code = "frame_too_large"
	ReplyPending  Code = "reply_pending"
	NotSupported  Code = "not_supported"
	RateLimited   Code = "rate_limited"
	SessionLimit  Code = "session_limit"
	Timeout       Code = "timeout"
	Internal      Code = "internal"
)
