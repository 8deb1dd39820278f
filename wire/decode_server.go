package wire

import (
	"errors"
	"github.com/smtplay/smtplay/internal/pagejson"
	"strconv"
)

// ServerMessage is one text frame the proxy sends: *Opened, *TLS,
// *Delivered, *Error, *Closed or *Wire.
type ServerMessage interface {
	// MessageType returns the message's "type" value, one of the Type constants.
	MessageType() string
}

// MessageType returns TypeOpened.
func (*Opened) MessageType() string { return TypeOpened }

// MessageType returns TypeTLS.
func (*TLS) MessageType() string { return TypeTLS }

// MessageType returns TypeDelivered.
func (*Delivered) MessageType() string { return TypeDelivered }

// MessageType returns TypeError.
func (*Error) MessageType() string { return TypeError }

// MessageType returns TypeClosed.
func (*Closed) MessageType() string { return TypeClosed }

// serverMessages makes an empty message for each type the proxy sends.
var serverMessages = map[string]func() ServerMessage{
	TypeOpened:    func() ServerMessage { return new(Opened) },
	TypeTLS:       func() ServerMessage { return new(TLS) },
	TypeDelivered: func() ServerMessage { return new(Delivered) },
	TypeError:     func() ServerMessage { return new(Error) },
	TypeClosed:    func() ServerMessage { return new(Closed) },
	TypeWire:      func() ServerMessage { return new(Wire) },
}

// DecodeServer parses one text frame from the proxy into the message its
// "type" names: *Opened, *TLS, *Delivered, *Error, *Closed or *Wire. Its errors are
// sentences for a person; a client may ignore a frame it cannot decode.
func DecodeServer(data []byte) (ServerMessage, error) {
	typ, err := messageType(data)
	if err != nil {
		return nil, err
	}
	newMessage, ok := serverMessages[typ]
	if !ok {
		return nil, errors.New("unknown message type " + strconv.Quote(typ) + ": the proxy sends only \"opened\", \"tls\", \"delivered\", \"error\", \"closed\" and \"wire\"")
	}
	m := newMessage()
	if err := pagejson.Unmarshal(data, m); err != nil {
		return nil, errors.New("the " + typ + " message is malformed: " + err.Error())
	}
	return m, nil
}
