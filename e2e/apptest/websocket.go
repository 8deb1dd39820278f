package apptest

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/coder/websocket"
)

// ReadJSON reads one message of the tunnel and decodes it into v; it must
// be a text message of type typ.
func ReadJSON(ctx context.Context, c *websocket.Conn, typ string, v any) error {
	mt, data, err := c.Read(ctx)
	if err != nil {
		return err
	}
	var head struct{ Type string }
	if mt != websocket.MessageText || json.Unmarshal(data, &head) != nil || head.Type != typ {
		return fmt.Errorf("got %q, want a %s message", data, typ)
	}
	return json.Unmarshal(data, v)
}
