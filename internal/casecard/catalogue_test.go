package casecard

import (
	"os"
	"regexp"
	"testing"

	"github.com/anguan/anguan/internal/i18n"
)

// Every message key this package defines is in the catalogue, and every
// casecard key in the catalogue is used: a renamed key fails here rather
// than showing ⟦key⟧ to a user.
func TestCatalogueKeys(t *testing.T) {
	src, err := os.ReadFile("errors.go")
	if err != nil {
		t.Fatal(err)
	}
	cat := i18n.MustLoad(i18n.DefaultLang)
	defined := map[string]bool{}
	for _, m := range regexp.MustCompile(`"(err\.casecard\.[a-z0-9_]+)"`).FindAllSubmatch(src, -1) {
		key := string(m[1])
		defined[key] = true
		if !cat.Has(key) {
			t.Errorf("%s is not in the catalogue", key)
		}
	}
	if len(defined) < 30 {
		t.Fatalf("only %d keys found in errors.go", len(defined))
	}
	for _, key := range cat.Keys() {
		if regexp.MustCompile(`^err\.casecard\.`).MatchString(key) && !defined[key] {
			t.Errorf("%s is in the catalogue but not used", key)
		}
	}
}
