package wire

import (
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// DecodeClient parses one text frame from a client into *Open or *Close. Its
// errors are sentences for a person.
func DecodeClient(data []byte) (any, error) {
	if !utf8.Valid(data) {
		return nil, errors.New("a text frame must be UTF-8 JSON; send SMTP lines as binary frames")
	}
	typ, err := messageType(data)
	if err != nil {
		return nil, err
	}
	switch typ {
	case TypeOpen:
		var m Open
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("the open message is malformed: %v", err)
		}
		return &m, nil
	case TypeClose:
		return &Close{Type: TypeClose}, nil
	}
	return nil, fmt.Errorf("unknown message type %q: a client sends only \"open\" and \"close\"", typ)
}

// messageType reads the "type" field of a text frame, which must hold one
// JSON object.
func messageType(data []byte) (string, error) {
	var head struct {
		Type *string `json:"type"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return "", fmt.Errorf("a text frame must hold one JSON object: %v", err)
	}
	if head.Type == nil {
		return "", errors.New(`the JSON object has no "type" field`)
	}
	return *head.Type, nil
}
