package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apperr"
)

func TestCatalogue(t *testing.T) {
	c := MustLoad(DefaultLang)
	if got := c.Field("parties[1].id_number"); got != "当事人2·证件号码" {
		t.Errorf("Field = %q", got)
	}
	if got := c.T("err.too_long", 50); got != "不能超过50个字" {
		t.Errorf("T = %q", got)
	}
	if got := c.T("no.such.key"); got != "⟦no.such.key⟧" {
		t.Errorf("missing key renders as %q", got)
	}
	msg := c.Message(apperr.FieldError{Field: "received_on", Key: "err.date_invalid"})
	if !strings.HasPrefix(msg, "受理日期：") {
		t.Errorf("Message = %q", msg)
	}
	labeled := c.Message(apperr.FieldError{Field: "outcome", Key: "err.outcome_invalid", Label: "field.decision"})
	if !strings.HasPrefix(labeled, "处理决定：") {
		t.Errorf("labeled Message = %q", labeled)
	}
	// Every error key the domain can raise has a message, and every
	// message is Chinese text, not a placeholder.
	for _, k := range c.Keys() {
		if strings.TrimSpace(c.T(k)) == "" {
			t.Errorf("key %s is empty", k)
		}
	}
	if _, err := Load("xx"); err == nil {
		t.Error("an unknown language loaded")
	}
}

// Every literal message key in the code and the templates exists, so no
// page or API answer can show a ⟦key⟧ placeholder for a known message.
func TestEveryLiteralKeyExists(t *testing.T) {
	c := MustLoad(DefaultLang)
	re := regexp.MustCompile(`"((?:err|flash|ui|field|cli)\.[a-z0-9_.]*[a-z0-9])"`)
	n := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, ".html") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			n++
			if !c.Has(m[1]) {
				t.Errorf("%s: key %q is not in the catalogue", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Fatalf("only %d keys found: the scan is broken", n)
	}
}
