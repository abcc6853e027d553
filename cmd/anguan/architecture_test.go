package main

import (
	"os/exec"
	"strings"
	"testing"
)

// Domain packages never depend on the store, the surfaces, net/http or
// database/sql (ARCHITECTURE §2): rules stay testable as plain code and the
// edges stay thin. Checked on the real dependency graph.
func TestDomainPackagesDoNotDependOnTheEdges(t *testing.T) {
	domain := []string{"access", "account", "apperr", "assign", "audit", "calendar", "casefile", "deadline", "docx", "evaluation",
		"idcard", "i18n", "jobs", "monitor", "ooxml", "org", "xlsx", "casecard", "dataquality", "stats", "chart", "aid"}
	forbidden := []string{"github.com/anguan/anguan/internal/store", "github.com/anguan/anguan/internal/web",
		"github.com/anguan/anguan/internal/api", "github.com/anguan/anguan/internal/server", "net/http", "database/sql"}
	for _, d := range domain {
		pkg := "github.com/anguan/anguan/internal/" + d
		deps, err := exec.Command("go", "list", "-deps", "-f", `{{.ImportPath}}`, pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(deps)) {
			for _, f := range forbidden {
				if dep == f {
					t.Errorf("%s depends on %s", pkg, f)
				}
			}
		}
	}
}
