package docx

import (
	"io"
	"strings"
	"unicode/utf8"
)

// sanitize drops characters that XML 1.0 cannot represent, even as character
// references, so that odd input never yields a file Word rejects. Invalid
// UTF-8 becomes U+FFFD.
func sanitize(s string) string {
	if utf8.ValidString(s) && strings.IndexFunc(s, illegalXML) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s { // ranging turns invalid bytes into U+FFFD
		if !illegalXML(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// illegalXML reports whether r is outside the XML 1.0 Char production.
func illegalXML(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20, r > 0xD7FF && r < 0xE000, r == 0xFFFE || r == 0xFFFF, r > 0x10FFFF:
		return true
	}
	return false
}

// writeEscaped writes the sanitised s as XML text or attribute content.
// Carriage returns become references because parsers normalise literal ones
// to newlines.
func writeEscaped(w io.StringWriter, s string) {
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
		default:
			continue
		}
		w.WriteString(s[last:i])
		w.WriteString(esc)
		last = i + 1
	}
	w.WriteString(s[last:])
}
