package sandbox

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
)

// mailHTMLCSP is the policy of GET .../messages/{id}/html: nothing is
// fetched over the network (no script, no connect, no font, no frame, no
// form target); styles only inline, images only data: and cid: (which go
// nowhere). sandbox makes the document a unique origin without scripts even
// when it is opened on its own rather than in the page's sandboxed iframe.
const mailHTMLCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data: cid:; " +
	"frame-src 'none'; form-action 'none'; base-uri 'none'; sandbox"

// mailHTMLHead starts the served document: the sanitized part follows it.
// Its <style> is ours (the CSP allows inline styles); the mail's own
// <style> elements are removed by the sanitizer.
const mailHTMLHead = `<!doctype html><html><head><meta charset="utf-8"><title>HTML part</title>` +
	`<style>body{margin:8px;font-family:system-ui,sans-serif;color:#1a1a1a;background:#fff;overflow-wrap:anywhere}img{max-width:100%;height:auto}</style>` +
	`</head><body>`

// mailStyleProperties are the CSS properties kept in style attributes. Each
// is checked by bluemonday's handler for that property, and none of them
// takes an image or url(): background, background-image, border-image,
// list-style(-image), content and cursor stay out, so a style attribute
// cannot fetch anything even before the CSP forbids it.
var mailStyleProperties = []string{
	"color", "background-color", "opacity",
	"font", "font-family", "font-size", "font-style", "font-weight", "font-variant",
	"line-height", "letter-spacing", "word-spacing", "white-space", "word-break", "word-wrap", "overflow-wrap",
	"text-align", "text-decoration", "text-decoration-color", "text-decoration-line", "text-decoration-style",
	"text-indent", "text-transform", "text-shadow", "vertical-align", "direction",
	"margin", "margin-top", "margin-right", "margin-bottom", "margin-left",
	"padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
	"border", "border-top", "border-right", "border-bottom", "border-left",
	"border-color", "border-style", "border-width", "border-radius", "border-collapse", "border-spacing",
	"border-top-color", "border-right-color", "border-bottom-color", "border-left-color",
	"border-top-style", "border-right-style", "border-bottom-style", "border-left-style",
	"border-top-width", "border-right-width", "border-bottom-width", "border-left-width",
	"width", "height", "min-width", "min-height", "max-width", "max-height",
	"display", "float", "clear", "overflow", "visibility", "box-sizing",
	"table-layout", "caption-side", "empty-cells", "list-style-type", "list-style-position",
}

// mailColor is an HTML color attribute: a name or #rgb / #rrggbb.
var mailColor = regexp.MustCompile(`^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-zA-Z]{1,20})$`)

var (
	mailPolicyOnce sync.Once
	mailPolicy     *bluemonday.Policy
)

// mailHTMLPolicy is the sanitizer for the HTML part. It keeps the
// elements UGCPolicy keeps (text, lists, tables, images) and the
// presentational attributes HTML mail relies on, but allows no URL that
// reaches the network: img src and a href only as data: images or cid:,
// nothing relative. Everything else goes: script, style elements (their
// CSS is not sanitized by bluemonday, so @import url(...) would survive),
// iframe, frame, object, embed, video, audio, source, link, meta, base,
// form and its controls, svg, and every on* attribute.
func mailHTMLPolicy() *bluemonday.Policy {
	mailPolicyOnce.Do(func() {
		p := bluemonday.NewPolicy()
		p.AllowStandardAttributes() // dir, id, lang, title
		p.AllowElements("article", "aside", "details", "figcaption", "figure", "footer", "header",
			"hgroup", "main", "nav", "section", "summary", "address",
			"h1", "h2", "h3", "h4", "h5", "h6", "hr", "p", "br", "div", "span", "center", "font",
			"b", "i", "u", "s", "strike", "strong", "em", "small", "big", "sub", "sup", "tt",
			"abbr", "acronym", "cite", "code", "del", "dfn", "ins", "kbd", "mark", "q", "samp", "var",
			"blockquote", "pre", "bdi", "bdo", "wbr")
		p.AllowLists()
		p.AllowTables()
		p.AllowStyling() // class
		p.AllowStyles(mailStyleProperties...).Globally()
		p.AllowAttrs("align").Matching(bluemonday.CellAlign).OnElements("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "td", "th", "tr", "img")
		p.AllowAttrs("valign").Matching(bluemonday.CellVerticalAlign).OnElements("td", "th", "tr")
		p.AllowAttrs("width", "height").Matching(bluemonday.NumberOrPercent).OnElements("table", "td", "th", "img", "col")
		p.AllowAttrs("border", "cellpadding", "cellspacing").Matching(bluemonday.Integer).OnElements("table", "img")
		p.AllowAttrs("bgcolor", "color").Matching(mailColor).OnElements("table", "tr", "td", "th", "body", "font")
		p.AllowAttrs("face").Matching(bluemonday.Paragraph).OnElements("font")
		p.AllowAttrs("size").Matching(bluemonday.Integer).OnElements("font")
		p.AllowAttrs("cite").OnElements("blockquote", "q")

		// URLs: data: images and cid: only; relative ones are dropped
		// (AllowRelativeURLs stays false) and no other scheme is allowed.
		p.RequireParseableURLs(true)
		p.AllowDataURIImages()
		p.AllowURLSchemeWithCustomPolicy("cid", func(u *url.URL) bool { return u.Opaque != "" })
		p.AllowAttrs("src", "alt").OnElements("img")
		p.AllowAttrs("href").OnElements("a")
		p.AllowElements("a")
		mailPolicy = p
	})
	return mailPolicy
}

// serveHTML serves the message's HTML part, sanitized, as a document of its
// own with the strict mailHTMLCSP (PROTOCOL.md). A message without an HTML
// part is an empty document, not an error: the page does not ask for it.
func (s *Sandbox) serveHTML(w http.ResponseWriter, token, id string) {
	m := s.lookup(w, token, id)
	if m == nil {
		return
	}
	body := mailHTMLHead + sanitizeMailHTML(viewMessage(m).HTML) + "</body></html>"
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Content-Security-Policy", mailHTMLCSP)
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(body))
}

// sanitizeMailHTML returns the HTML part with only what mailHTMLPolicy
// allows.
func sanitizeMailHTML(html string) string {
	return mailHTMLPolicy().Sanitize(strings.ToValidUTF8(html, "\uFFFD"))
}
