package main

import (
	"encoding/json"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/static"
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
