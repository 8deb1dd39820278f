package static_test

import (
	"encoding/json"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/static"
	"github.com/smtplay/smtplay/wasm/console"
	"github.com/smtplay/smtplay/wasm/explain"
	"github.com/smtplay/smtplay/wasm/phrase"
)

// pluralSuffix matches the plural forms lang.js looks for before a key:
// "key.one", "key.few", "key.many", "key.other".
var pluralSuffix = regexp.MustCompile(`\.(one|few|many|other)$`)

// pluralBase is a key without its plural suffix.
func pluralBase(key string) string { return pluralSuffix.ReplaceAllString(key, "") }

// placeholders are the {name}s of a string; lang.js fills only [a-z]+ names.
var placeholder = regexp.MustCompile(`\{[^{}]*\}`)

func placeholders(s string) map[string]bool {
	out := map[string]bool{}
	for _, p := range placeholder.FindAllString(s, -1) {
		out[p] = true
	}
	return out
}

// readStrings reads i18n/<code>.json.
func readStrings(t *testing.T, code string) map[string]string {
	t.Helper()
	var s map[string]string
	data, err := fs.ReadFile(static.Files, "i18n/"+code+".json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("i18n/%s.json: %v", code, err)
	}
	return s
}

// The page's strings: every language has English's keys (plural forms
// aside) and no others; each translation keeps English's placeholders and
// adds none; a plural form has its plain key as the fallback.
func TestI18nStrings(t *testing.T) {
	var langs map[string]string
	data, err := fs.ReadFile(static.Files, "i18n/languages.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &langs); err != nil || langs["en"] == "" || langs["pl"] == "" {
		t.Fatalf("i18n/languages.json: %v %v", langs, err)
	}
	en := readStrings(t, "en")
	bases := func(s map[string]string) map[string]bool {
		out := map[string]bool{}
		for k := range s {
			out[pluralBase(k)] = true
		}
		return out
	}
	// What English may fill in a key's strings: the placeholders of all its forms.
	enFills := map[string]map[string]bool{}
	for k, v := range en {
		b := pluralBase(k)
		if enFills[b] == nil {
			enFills[b] = map[string]bool{}
		}
		maps.Copy(enFills[b], placeholders(v))
	}
	for _, code := range slices.Sorted(maps.Keys(langs)) {
		s := readStrings(t, code)
		want, got := bases(en), bases(s)
		for _, b := range slices.Sorted(maps.Keys(want)) {
			if !got[b] {
				t.Errorf("i18n/%s.json lacks %q", code, b)
			}
		}
		for _, b := range slices.Sorted(maps.Keys(got)) {
			if !want[b] {
				t.Errorf("i18n/%s.json has %q, which en.json lacks", code, b)
			}
		}
		for _, k := range slices.Sorted(maps.Keys(s)) {
			v := s[k]
			if b := pluralBase(k); b != k {
				if _, ok := s[b]; !ok {
					t.Errorf("i18n/%s.json: %q has no plain %q to fall back on", code, k, b)
				}
			}
			for p := range placeholders(v) {
				if !regexp.MustCompile(`^\{[a-z]+\}$`).MatchString(p) {
					t.Errorf("i18n/%s.json %q: %s is no placeholder lang.js fills (lower-case letters only)", code, k, p)
				}
				if fills := enFills[pluralBase(k)]; fills != nil && !fills[p] {
					t.Errorf("i18n/%s.json %q: %s is not in English, so nothing fills it", code, k, p)
				}
			}
			// English's own string for this form, or its plain key's.
			english, ok := en[k]
			if !ok {
				english = en[pluralBase(k)]
			}
			if code == "en" || english == "" {
				continue
			}
			for p := range placeholders(english) {
				if !placeholders(v)[p] && !(p == "{n}" && strings.HasSuffix(k, ".one")) {
					t.Errorf("i18n/%s.json %q lacks %s: %q (English %q)", code, k, p, v, english)
				}
			}
		}
	}
}

// Every key the page uses exists in English: data-i18n and data-i18n-attr
// in index.html, and t("…"), rich("…") and say("…") with a literal key in
// the scripts. A key built from a template ("phase.${…}") needs some key
// with its prefix.
func TestI18nKeysUsed(t *testing.T) {
	en := readStrings(t, "en")
	has := func(key string) bool {
		if _, ok := en[key]; ok {
			return true
		}
		for k := range en {
			if pluralBase(k) == key {
				return true
			}
		}
		return false
	}
	html, err := fs.ReadFile(static.Files, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	used := 0
	for _, m := range regexp.MustCompile(`data-i18n="([^"]*)"`).FindAllStringSubmatch(string(html), -1) {
		used++
		if !has(m[1]) {
			t.Errorf("index.html: data-i18n=%q is not in en.json", m[1])
		}
	}
	for _, m := range regexp.MustCompile(`data-i18n-attr="([^"]*)"`).FindAllStringSubmatch(string(html), -1) {
		for _, pair := range strings.Fields(m[1]) {
			used++
			attr, key, ok := strings.Cut(pair, ":")
			if !ok || attr == "" || !has(key) {
				t.Errorf("index.html: data-i18n-attr %q: not attr:key with key in en.json", pair)
			}
		}
	}
	if used < 60 {
		t.Errorf("only %d keys used in index.html: is the pattern still right?", used)
	}

	literal := regexp.MustCompile(`\b(?:t|rich|say)\("([^"]+)"`)
	template := regexp.MustCompile("\\b(?:t|rich|say|tr)\\(`([^`$]*)\\$\\{")
	scripts, _ := fs.Glob(static.Files, "*.js")
	used = 0
	for _, name := range scripts {
		if name == "wasm_exec.js" {
			continue
		}
		src, _ := fs.ReadFile(static.Files, name)
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			used++
			if !has(m[1]) {
				t.Errorf("%s: t(%q) is not in en.json", name, m[1])
			}
		}
		for _, m := range template.FindAllStringSubmatch(string(src), -1) {
			prefix := m[1]
			if !slices.ContainsFunc(slices.Collect(maps.Keys(en)), func(k string) bool { return strings.HasPrefix(k, prefix) }) {
				t.Errorf("%s: no key in en.json starts with %q", name, prefix)
			}
		}
	}
	if used < 100 {
		t.Errorf("only %d keys used in the scripts: is the pattern still right?", used)
	}
}

// explainedEntry is the engine's entry that a key of i18n/explain/<code>.json
// puts in other words, and which of its words: "title" or "text", or "" for
// a key that is one string (a reply digit's meaning, an enhanced class's
// title). ok is false for a key that names nothing the engine explains.
func explainedEntry(key string) (e explain.Entry, part string, ok bool) {
	kind, rest, _ := strings.Cut(key, ".")
	if i := strings.LastIndexByte(rest, '.'); i >= 0 && (rest[i+1:] == "title" || rest[i+1:] == "text") {
		rest, part = rest[:i], rest[i+1:]
	}
	digit := func(s string) (int, bool) {
		n, err := strconv.Atoi(s)
		return n, err == nil && strconv.Itoa(n) == s
	}
	switch kind {
	case "reply": // reply.503.title: the three-digit code
		n, canonical := digit(rest)
		e, ok = explain.Reply(n)
		return e, part, ok && canonical && len(rest) == 3 && part != ""
	case "class", "category": // class.5, category.0: what the page shows of a digit, its text
		n, canonical := digit(rest)
		if kind == "class" {
			e, ok = explain.ReplyClass(n)
		} else {
			e, ok = explain.ReplyCategory(n)
		}
		return e, part, ok && canonical && part == ""
	case "enhanced":
		if c, found := strings.CutSuffix(rest, ".x.x"); found { // enhanced.5.x.x: the class's title
			n, canonical := digit(c)
			e, ok = explain.EnhancedClass(n)
			return e, part, ok && canonical && part == ""
		}
		if sd, found := strings.CutPrefix(rest, "x."); found { // enhanced.x.5.1.title: subject.detail, in any class
			e, ok = explain.Enhanced("2." + sd)
			return e, part, ok && e.Key == "2."+sd && part != ""
		}
	case "capability", "command", "mechanism": // capability.SIZE.title: a name of the table, as the engine spells it
		lookup := map[string]func(string) (explain.Entry, bool){"capability": explain.Capability, "command": explain.Command, "mechanism": explain.Mechanism}[kind]
		vendor, _ := lookup("XNOT-IN-THE-TABLE")
		if rest == "vendor" { // capability.vendor.title: what the engine says of a private (X) name it does not know
			return vendor, part, part != ""
		}
		e, ok = lookup(rest)
		return e, part, ok && e.Key == rest && e.Title != vendor.Title && part != ""
	case "header": // header.Subject.title: a header field of the table, in its canonical spelling
		e, ok = explain.Header(rest)
		return e, part, ok && e.Key == rest && part != ""
	}
	return explain.Entry{}, part, false
}

// What the engine explains, in other languages: every key of each
// i18n/explain/<code>.json names a reply code, a digit, an enhanced status
// code or class, or a capability the engine really explains (looked up in
// wasm/explain), or is a sentence of the engine's phrase books with the same
// placeholders as its English; no value is empty; a title comes with its text where the
// engine has both; and a file that explains enhanced codes has the three
// classes' titles, which the page puts in front. English is the engine's
// own and has no file.
func TestI18nExplain(t *testing.T) {
	var langs map[string]string
	data, err := fs.ReadFile(static.Files, "i18n/languages.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &langs); err != nil {
		t.Fatal(err)
	}
	files, err := fs.Glob(static.Files, "i18n/explain/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no i18n/explain/*.json: %v", err)
	}
	phrases := console.EnginePhrases()
	for _, name := range files {
		code := strings.TrimSuffix(strings.TrimPrefix(name, "i18n/explain/"), ".json")
		if _, ok := langs[code]; !ok || code == "en" {
			t.Errorf("%s: %q is not a language of languages.json other than English", name, code)
		}
		var s map[string]string
		data, err := fs.ReadFile(static.Files, name)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &s); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		counts := map[string]int{}
		for _, k := range slices.Sorted(maps.Keys(s)) {
			if strings.TrimSpace(s[k]) == "" {
				t.Errorf("%s: %q is empty", name, k)
			}
			if english, ok := phrases[k]; ok {
				if err := phrase.SamePlaceholders(english, s[k]); err != nil {
					t.Errorf("%s: %q: %v", name, k, err)
				}
				counts["phrase"]++
				continue
			}
			e, part, ok := explainedEntry(k)
			if !ok {
				t.Errorf("%s: %q names nothing the engine explains", name, k)
				continue
			}
			counts[strings.SplitN(k, ".", 2)[0]]++
			if part == "" || e.Title == "" || e.Text == "" {
				continue
			}
			twin := strings.TrimSuffix(k, part) + map[string]string{"title": "text", "text": "title"}[part]
			if _, ok := s[twin]; !ok {
				t.Errorf("%s: %q has no %q", name, k, twin)
			}
		}
		if counts["enhanced"] > 0 {
			for _, c := range []string{"2", "4", "5"} {
				if _, ok := s["enhanced."+c+".x.x"]; !ok {
					t.Errorf("%s: enhanced codes without the title of class %s (enhanced.%s.x.x)", name, c, c)
				}
			}
		}
		t.Logf("%s: %d keys %v", name, len(s), counts)
	}
}

// Every language the page offers says every sentence the engine writes: a
// student meets no English between the page's own words. (The page would
// fall back to English for a missing key; the languages shipped are whole.)
func TestI18nPhrasesComplete(t *testing.T) {
	var langs map[string]string
	readStaticJSON(t, "i18n/languages.json", &langs)
	phrases := console.EnginePhrases()
	for _, code := range slices.Sorted(maps.Keys(langs)) {
		if code == "en" {
			continue
		}
		var s map[string]string
		readStaticJSON(t, "i18n/explain/"+code+".json", &s)
		var missing []string
		for _, k := range slices.Sorted(maps.Keys(phrases)) {
			if _, ok := s[k]; !ok {
				missing = append(missing, k)
			}
		}
		if len(missing) > 0 {
			t.Errorf("i18n/explain/%s.json lacks %d of the engine's %d phrases: %s", code, len(missing), len(phrases), strings.Join(missing, ", "))
		}
	}
}
