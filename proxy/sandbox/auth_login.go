package sandbox

import "github.com/emersion/go-sasl"

// loginServer is the server side of the LOGIN mechanism
// (draft-murchison-sasl-login), which go-sasl has only as a client. It asks
// "Username:" and then "Password:"; go-smtp base64-encodes the questions, so
// the client reads "334 VXNlcm5hbWU6" and "334 UGFzc3dvcmQ6". An initial
// response (AUTH LOGIN <base64 username>) answers the first question.
type loginServer struct {
	check    func(username, password string) error
	step     int
	username string
}

var _ sasl.Server = (*loginServer)(nil)

// Next implements sasl.Server.
func (l *loginServer) Next(response []byte) (challenge []byte, done bool, err error) {
	switch l.step {
	case 0:
		l.step = 1
		if response == nil {
			return []byte("Username:"), false, nil
		}
		fallthrough
	case 1:
		l.username = string(response)
		l.step = 2
		return []byte("Password:"), false, nil
	case 2:
		l.step = 3
		return nil, true, l.check(l.username, string(response))
	}
	return nil, true, sasl.ErrUnexpectedClientResponse
}
