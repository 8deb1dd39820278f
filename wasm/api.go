//go:build js && wasm

package main

import (
	"errors"
	"syscall/js"

	"github.com/smtplay/smtplay/wasm/compose"
	"github.com/smtplay/smtplay/wasm/console"
	"github.com/smtplay/smtplay/wasm/export"
)

// api is the Go side of the page's smtplay object. Methods that change
// the session (connect, submit, paste, resolve, close) queue the work and
// return at once; what happens comes back through onevent. The others
// answer at once.
type api struct {
	obj js.Value
	con *console.Console
	w   *worker
}

// register puts a new smtplay object on global and returns it.
func register(global js.Value) js.Value {
	a := &api{obj: global.Get("Object").New(), w: newWorker()}
	a.con = console.New(a.emit, dial)
	for _, m := range []struct {
		name string
		f    func([]js.Value) any
	}{
		{"connect", a.connect},
		{"adopt", a.adopt},
		{"submit", a.submit},
		{"paste", a.paste},
		{"resolve", a.resolve},
		{"close", a.close},
		{"check", a.check},
		{"view", a.view},
		{"reveal", a.reveal},
		{"exportText", a.exportText},
		{"compose", a.compose},
		{"authLines", a.authLines},
		{"base64Encode", a.base64Encode},
		{"base64Decode", a.base64Decode},
		{"exportCode", a.exportCode},
		{"shareData", a.shareData},
		{"replay", a.replay},
		{"setWire", a.setWire},
		{"capture", a.capture},
		{"keyLog", a.keyLog},
	} {
		f := m.f
		a.obj.Set(m.name, js.FuncOf(func(_ js.Value, args []js.Value) any { return f(args) }))
	}
	global.Set("smtplay", a.obj)
	return a.obj
}

// emit hands one event to smtplay.onevent as a plain object. An exception
// thrown by the page is reported on the console, not fatal to the session.
func (a *api) emit(ev console.Event) {
	cb := a.obj.Get("onevent")
	if cb.Type() != js.TypeFunction {
		return
	}
	defer func() {
		if r := recover(); r != nil {
			js.Global().Get("console").Call("error", "smtplay.onevent threw:", panicText(r))
		}
	}()
	cb.Invoke(toJS(ev))
}

// connect(url, target): url is the tunnel's ws:// or wss:// address; target
// is a name from /api/targets, or {target, host, port, mailbox}.
func (a *api) connect(args []js.Value) any {
	url := str(args, 0)
	t, err := target(arg(args, 1))
	if err != nil {
		return failure(err)
	}
	if url == "" {
		return failure(errors.New("connect needs the tunnel's URL and a target"))
	}
	a.w.do(func() { a.con.Connect(url, t) })
	return nil
}

// target reads a target: a name, or {target, host, port, mailbox}.
func target(v js.Value) (console.Target, error) {
	var t console.Target
	if v.Type() == js.TypeString {
		t.Name = v.String()
	} else if err := fromJS(v, &t); err != nil {
		return t, err
	}
	if t.Name == "" && t.Host == "" {
		return t, errors.New("connect needs the tunnel's URL and a target")
	}
	return t, nil
}

// adopt(ws, got, target) goes on with a session the page opened itself
// before the Go half ran (static/earlytunnel.js): ws is its open WebSocket,
// got what it received so far, target as for connect.
func (a *api) adopt(args []js.Value) any {
	t, err := target(arg(args, 2))
	if err != nil {
		return failure(err)
	}
	conn, err := adoptWebSocket(arg(args, 0), arg(args, 1))
	if err != nil {
		return failure(err)
	}
	a.w.do(func() { a.con.Adopt(conn, t) })
	return nil
}

// submit(line, {confirm}) queues one typed line.
func (a *api) submit(args []js.Value) any {
	line := str(args, 0)
	var opt struct {
		Confirm bool `json:"confirm"`
	}
	_ = fromJS(arg(args, 1), &opt)
	a.w.do(func() { a.con.Submit(line, opt.Confirm) })
	return nil
}

// paste(text or lines) queues lines to go one by one.
func (a *api) paste(args []js.Value) any {
	var lines []string
	if v := arg(args, 0); v.Type() == js.TypeString {
		lines = console.SplitLines(v.String())
	} else if err := fromJS(v, &lines); err != nil {
		return failure(err)
	}
	a.w.do(func() { a.con.Paste(lines) })
	return nil
}

// resolve("send" | "skip" | "stop" | "fix") decides about the held line.
func (a *api) resolve(args []js.Value) any {
	act := console.Action(str(args, 0))
	a.w.do(func() { a.con.Resolve(act) })
	return nil
}

// close() ends the session politely.
func (a *api) close([]js.Value) any {
	a.w.do(a.con.Close)
	return nil
}

// check(line) explains a line without sending it.
func (a *api) check(args []js.Value) any { return toJS(a.con.Check(str(args, 0))) }

// view() returns the side panel's snapshot.
func (a *api) view([]js.Value) any { return toJS(a.con.View()) }

// reveal(seq) returns a secret line as it was sent, or null.
func (a *api) reveal(args []js.Value) any {
	if text, ok := a.con.Reveal(arg(args, 0).Int()); ok {
		return text
	}
	return js.Null()
}

// exportText({reveal}) returns the transcript in swaks' style.
func (a *api) exportText(args []js.Value) any {
	var opt struct {
		Reveal bool `json:"reveal"`
	}
	_ = fromJS(arg(args, 0), &opt)
	return a.con.Export(opt.Reveal)
}

// compose({from, to, subject, body}) plans a message: {commands, lines,
// note} or {error}.
func (a *api) compose(args []js.Value) any {
	var m compose.Message
	if err := fromJS(arg(args, 0), &m); err != nil {
		return failure(err)
	}
	plan, err := a.con.Compose(m)
	if err != nil {
		return failure(err)
	}
	return toJS(plan)
}

// authLines(mechanism, user, password) returns {lines} or {error}.
func (a *api) authLines(args []js.Value) any {
	lines, err := console.AuthLines(str(args, 0), str(args, 1), str(args, 2))
	if err != nil {
		return failure(err)
	}
	return toJS(map[string]any{"lines": lines})
}

// base64Encode(text) encodes text's UTF-8 bytes.
func (a *api) base64Encode(args []js.Value) any { return console.EncodeBase64(str(args, 0)) }

// base64Decode(text) returns {text, printable, bytes} or {error}.
func (a *api) base64Decode(args []js.Value) any {
	d, err := console.DecodeBase64(str(args, 0))
	if err != nil {
		return failure(err)
	}
	return toJS(d)
}

// exportCode(format, {reveal, listener, demo}) returns the session as code:
// {code, filename, note, credentials} or {error}. Without reveal the code
// holds no credential of a real server; listener ({host, port} or null) and
// demo ({username, password}) are the sandbox target's sandbox_smtp and demo
// from GET /api/targets.
func (a *api) exportCode(args []js.Value) any {
	var opt console.CodeOptions
	_ = fromJS(arg(args, 1), &opt)
	code, err := a.con.ExportCode(export.Format(str(args, 0)), opt)
	if err != nil {
		return failure(err)
	}
	return toJS(code)
}

// shareData({replay}) returns what a share link carries: {script, replay,
// too_long, dropped, target}, never a credential.
func (a *api) shareData(args []js.Value) any {
	var opt struct {
		Replay bool `json:"replay"`
	}
	_ = fromJS(arg(args, 0), &opt)
	return toJS(a.con.Share(opt.Replay))
}

// replay(text, {target, sandbox}) plays a shared transcript offline:
// {events} for onevent, or {error}.
func (a *api) replay(args []js.Value) any {
	var opt console.ReplayOptions
	if err := fromJS(arg(args, 1), &opt); err != nil {
		return failure(err)
	}
	evs, err := console.Replay(str(args, 0), opt)
	if err != nil {
		return failure(err)
	}
	return toJS(map[string]any{"events": evs})
}
