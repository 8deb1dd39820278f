package sandbox

import (
	"strings"
	"testing"
)

// hostileHTML is an HTML part that tries every way to reach the network
// or run something, next to the styling mail relies on.
const hostileHTML = "From: a@example.org\r\n" +
	"To: b@example.org\r\n" +
	"Subject: styled\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: text/html; charset=utf-8\r\n" +
	"\r\n" +
	`<html><head><meta http-equiv="refresh" content="0;url=http://evil.invalid/"><base href="http://evil.invalid/">` + "\r\n" +
	`<link rel="stylesheet" href="http://evil.invalid/s.css"><style>@import url(http://evil.invalid/i.css); body{background:url(http://evil.invalid/b.png)}</style></head>` + "\r\n" +
	`<body><h1 style="color: #0a66c2; font-weight: bold; background-image: url(http://evil.invalid/bg.png)">Hello styled</h1>` + "\r\n" +
	`<p class="lead" style="padding: 4px; background: url('http://evil.invalid/p.png')">Text</p>` + "\r\n" +
	`<iframe src="http://evil.invalid/frame"></iframe><script>alert(1)</script><object data="http://evil.invalid/o"></object><embed src="http://evil.invalid/e">` + "\r\n" +
	`<img src="http://evil.invalid/pixel.gif" onerror="alert(2)"><img src="data:image/png;base64,iVBORw0KGgo=" alt="dot"><img src="cid:logo@example.org" alt="logo"><img src="/relative.png">` + "\r\n" +
	`<video poster="http://evil.invalid/poster.jpg" src="http://evil.invalid/v.mp4"></video><audio src="http://evil.invalid/a.mp3"></audio>` + "\r\n" +
	`<form action="http://evil.invalid/"><input name="q"><button>go</button></form>` + "\r\n" +
	`<a href="http://evil.invalid/click">a link</a> <a href="javascript:alert(3)">js</a>` + "\r\n" +
	`<svg><image href="http://evil.invalid/svg.png"/></svg>` + "\r\n" +
	`<table width="100%" bgcolor="#eeeeee"><tr><td align="center" style="color: red">cell</td></tr></table>` + "\r\n" +
	"</body></html>\r\n"

func TestServeHTMLSanitizesAndLocksDown(t *testing.T) {
	s := newTestSandbox(t, Config{})
	token, id := deliverOne(t, s, hostileHTML)
	code, h, body := api(t, s, "GET", "/api/sandbox/"+token+"/messages/"+id+"/html")
	if code != 200 {
		t.Fatalf("code %d: %s", code, body)
	}
	for k, want := range map[string]string{
		"Content-Type":            "text/html; charset=utf-8",
		"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data: cid:; frame-src 'none'; form-action 'none'; base-uri 'none'; sandbox",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
		"Cache-Control":           "no-store",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	html := string(body)
	t.Logf("served: %s", html)
	for _, bad := range []string{
		"evil.invalid", "<iframe", "<script", "alert(", "<object", "<embed", "<video", "<audio", "<link",
		"<meta http-equiv", "<base", "<form", "<input", "<svg", "<image", "@import", "url(", "onerror",
		"javascript:", "relative.png",
	} {
		if strings.Contains(html, bad) {
			t.Errorf("served HTML still has %q", bad)
		}
	}
	// Only our own <style>: the mail's is dropped, content and all.
	if n := strings.Count(html, "<style>"); n != 1 {
		t.Errorf("%d <style> elements, want ours alone", n)
	}
	for _, good := range []string{
		`<h1 style="color: #0a66c2; font-weight: bold">Hello styled</h1>`,
		`<p class="lead" style="padding: 4px">Text</p>`,
		`<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">`,
		`<img src="cid:logo@example.org" alt="logo">`,
		`<td align="center" style="color: red">cell</td>`,
		`bgcolor="#eeeeee"`,
		`a link`,
	} {
		if !strings.Contains(html, good) {
			t.Errorf("served HTML lost %q", good)
		}
	}
}

func TestServeHTMLTokenRules(t *testing.T) {
	s := newTestSandbox(t, Config{})
	token, id := deliverOne(t, s, mimeMessage)
	for _, path := range []string{
		"/api/sandbox/nosuchtoken/messages/" + id + "/html",
		"/api/sandbox/" + token + "/messages/nosuchid/html",
		"/api/sandbox//messages/" + id + "/html",
	} {
		if code, h, _ := api(t, s, "GET", path); code != 404 || h.Get("Content-Type") != "application/json; charset=utf-8" {
			t.Errorf("GET %s: %d %q, want a 404 JSON error", path, code, h.Get("Content-Type"))
		}
	}
	if code, _, _ := api(t, s, "POST", "/api/sandbox/"+token+"/messages/"+id+"/html"); code != 405 {
		t.Errorf("POST: %d, want 405", code)
	}
	code, _, body := api(t, s, "GET", "/api/sandbox/"+token+"/messages/"+id+"/html")
	if code != 200 || !strings.Contains(string(body), "<p>Hello <b>there</b></p>") {
		t.Errorf("multipart HTML part: %d %s", code, body)
	}
}
