package ooxml

import (
	"io"
	"strings"
	"unicode/utf8"
)

// Sanitize drops characters that XML 1.0 cannot represent, even as character
// references, so that odd input never yields a file Excel or Word rejects. Invalid
// UTF-8 becomes U+FFFD.
func Sanitize(s string) string {
	if utf8.ValidString(s) && strings.IndexFunc(s, IllegalXML) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s { // ranging turns invalid bytes into U+FFFD
		if !IllegalXML(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// IllegalXML reports whether r is outside the XML 1.0 Char production.
func IllegalXML(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20, r > 0xD7FF && r < 0xE000, r == 0xFFFE || r == 0xFFFF, r > 0x10FFFF:
		return true
	}
	return false
}

// WriteEscaped writes the sanitised s as XML text or attribute content.
// Carriage returns become references because parsers normalise literal ones
// to newlines.
func WriteEscaped(w io.StringWriter, s string) { escape(w, s, false) }

// WriteXstring is WriteEscaped for SpreadsheetML strings (ST_Xstring):
// Excel decodes _xHHHH_ there, so a literal "_x0041_" needs its underscore
// written as _x005F_ to survive.
func WriteXstring(w io.StringWriter, s string) { escape(w, s, true) }

func escape(w io.StringWriter, s string, xstring bool) {
	last := 0
	for i := 0; i < len(s); i++ { // the escaped bytes are ASCII, never inside a UTF-8 sequence
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&quot;"
		case '\'':
			esc = "&apos;"
		case '\r':
			esc = "&#xD;"
		case '_':
			if !xstring || !isXEscape(s[i:]) {
				continue
			}
			esc = "_x005F_"
		default:
			continue
		}
		w.WriteString(s[last:i])
		w.WriteString(esc)
		last = i + 1
	}
	w.WriteString(s[last:])
}

// isXEscape reports whether s starts with an _xHHHH_ escape.
func isXEscape(s string) bool {
	if len(s) < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for i := 2; i < 6; i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// UnescapeXstring decodes the _xHHHH_ escapes Excel writes into strings.
func UnescapeXstring(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if isXEscape(s[i:]) {
			var r rune
			for _, c := range []byte(s[i+2 : i+6]) {
				r = r<<4 | rune(hexVal(c))
			}
			b.WriteRune(r)
			i += 6
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func hexVal(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
