package sandbox

import (
	"bytes"
	"io"
	"net/mail"
	"strings"
	"time"

	"github.com/emersion/go-message"
)

// messageView is the JSON of GET /api/sandbox/{token}/messages/{id}
// (PROTOCOL.md). from and to are the envelope, as in the list and in
// `delivered`; headers are the stored message's, trace headers first, values
// decoded; date is the Date header in RFC 3339, "" if it is missing or
// cannot be parsed (its text is still in headers); header_note says why
// header lines the person typed are body text, when they are.
type messageView struct {
	ID          string           `json:"id"`
	From        string           `json:"from"`
	To          []string         `json:"to"`
	Subject     string           `json:"subject"`
	Date        string           `json:"date"`
	Headers     []headerView     `json:"headers"`
	Text        string           `json:"text"`
	HTML        string           `json:"html"`
	Attachments []attachmentView `json:"attachments"`
	MIME        mimeView         `json:"mime"`
	// HeaderNote is set when the header section ended before the header
	// lines typed did (headernote.go).
	HeaderNote *headerNote `json:"header_note,omitempty"`
}

type headerView struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// attachmentView is a part that is not the message's text or HTML body;
// size is its decoded size in bytes.
type attachmentView struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int    `json:"size"`
}

// mimeView is a node of the MIME tree: content_type is the media type
// without parameters; size is the decoded bytes of a leaf, and the sum of
// its parts for a multipart; parts is [] for a leaf.
type mimeView struct {
	ContentType string     `json:"content_type"`
	Size        int        `json:"size"`
	Parts       []mimeView `json:"parts"`
}

// Bounds on the MIME tree, against hostile nesting.
const (
	maxMIMEDepth = 16
	maxMIMEParts = 256
)

// viewMessage parses a stored message with go-message.
func viewMessage(m *storedMessage) messageView {
	v := messageView{
		ID: m.id, From: m.from, To: m.to, Subject: m.subject,
		Headers: []headerView{}, Attachments: []attachmentView{},
		HeaderNote: noteHeader(m.raw[len(m.raw)-m.size:]),
	}
	e, err := message.Read(bytes.NewReader(m.raw))
	if e == nil {
		// Not a header block after the trace headers: show it all as text.
		body := m.raw[len(m.raw)-m.size:]
		v.Text = bodyText(body, "", false)
		v.MIME = mimeView{ContentType: "text/plain", Size: len(body), Parts: []mimeView{}}
		return v
	}
	fields := e.Header.Fields()
	for fields.Next() {
		v.Headers = append(v.Headers, headerView{Name: fields.Key(), Value: decodeText(fields.Value())})
	}
	if d, derr := mail.ParseDate(e.Header.Get("Date")); derr == nil {
		v.Date = d.Format(time.RFC3339)
	}
	w := walker{v: &v}
	v.MIME = w.walk(e, err, 0)
	return v
}

// walker fills a messageView while it walks the MIME tree.
type walker struct {
	v                  *messageView
	parts              int
	haveText, haveHTML bool
}

func (w *walker) walk(e *message.Entity, perr error, depth int) mimeView {
	mt, params, _ := e.Header.ContentType()
	mt = mediaType(mt)
	node := mimeView{ContentType: mt, Parts: []mimeView{}}

	if mr := e.MultipartReader(); mr != nil {
		for depth < maxMIMEDepth && w.parts < maxMIMEParts {
			p, err := mr.NextPart()
			if p == nil { // io.EOF, or a part that cannot be read
				break
			}
			w.parts++
			child := w.walk(p, err, depth+1)
			node.Size += child.Size
			node.Parts = append(node.Parts, child)
		}
		return node
	}

	body, _ := io.ReadAll(e.Body)
	node.Size = len(body)
	disp, dparams, _ := e.Header.ContentDisposition()
	filename := dparams["filename"]
	if filename == "" {
		filename = params["name"]
	}
	inline := strings.ToLower(disp) != "attachment" && filename == ""
	converted := !message.IsUnknownCharset(perr)
	switch {
	case inline && mt == "text/plain" && !w.haveText:
		w.haveText = true
		w.v.Text = bodyText(body, params["charset"], converted)
	case inline && mt == "text/html" && !w.haveHTML:
		w.haveHTML = true
		w.v.HTML = bodyText(body, params["charset"], converted)
	default:
		w.v.Attachments = append(w.v.Attachments, attachmentView{
			Filename: decodeText(filename), ContentType: mt, Size: len(body),
		})
	}
	return node
}

// mediaType normalises a Content-Type's media type; none means text/plain
// (RFC 2045 section 5.2).
func mediaType(mt string) string {
	mt, _, _ = strings.Cut(mt, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	if mt == "" {
		return "text/plain"
	}
	return mt
}
