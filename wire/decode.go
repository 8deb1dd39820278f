package wire

import (
	"unicode/utf8"

	"github.com/smtplay/smtplay/internal/pagejson"
)

// DecodeClient parses one text frame from a client into *Open or *Close. Its
// errors are sentences of Details (Said).
func DecodeClient(data []byte) (any, error) {
	if !utf8.Valid(data) {
		return nil, Say("not-utf8")
	}
	typ, err := messageType(data)
	if err != nil {
		return nil, err
	}
	switch typ {
	case TypeOpen:
		var m Open
		if err := pagejson.Unmarshal(data, &m); err != nil {
			return nil, Say("open-malformed", "error", err)
		}
		return &m, nil
	case TypeClose:
		return &Close{Type: TypeClose}, nil
	}
	return nil, Say("unknown-type", "type", typ)
}

// messageType reads the "type" field of a text frame, which must hold one
// JSON object.
func messageType(data []byte) (string, error) {
	var head struct {
		Type *string `json:"type"`
	}
	if err := pagejson.Unmarshal(data, &head); err != nil {
		return "", Say("not-json-object", "error", err)
	}
	if head.Type == nil {
		return "", Say("no-type")
	}
	return *head.Type, nil
}
