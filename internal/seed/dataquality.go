package seed

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casecard"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/org"
)

// DataDeps are what the data-supervision part of the demo needs.
type DataDeps struct {
	Org   *org.Service
	Data  *dataquality.Service
	Vocab casecard.Vocabulary
	Seed  uint64
	Now   time.Time
}

// DataResult counts what the demo imported and found.
type DataResult struct {
	Imported int
	Scan     dataquality.ScanRecord
}

// DemoCardsPerUnit is how many national-system cards each case-handling
// demo unit imports.
const DemoCardsPerUnit = 160

// DataQuality installs the rule library, imports a spreadsheet of
// national-system case cards into each case-handling demo unit (through
// the real XLSX import, as its case manager), with about one card in ten
// carrying an injected error, and runs the first full scan, so the problem
// lists and the accuracy report tell a story on first start.
func DataQuality(ctx context.Context, d DataDeps) (DataResult, error) {
	var res DataResult
	if _, err := d.Data.InstallRules(ctx); err != nil {
		return res, fmt.Errorf("seed: data-quality rules: %w", err)
	}
	units, err := d.Org.Units(ctx)
	if err != nil {
		return res, err
	}
	users, err := d.Org.AllUsers(ctx)
	if err != nil {
		return res, err
	}
	handling := map[string]bool{}
	for _, spec := range demoUnits() {
		handling[spec.Code] = spec.CaseWeight > 0
	}
	for _, u := range units {
		if !handling[u.Code] {
			continue
		}
		var manager *org.User
		cu := CardUnit{ID: u.ID, Code: u.Code, Short: u.ShortName}
		for i := range users {
			p := users[i]
			if p.UnitID != u.ID || p.Disabled {
				continue
			}
			if slices.Contains(p.Roles, access.CaseManager) && manager == nil {
				manager = &users[i]
			}
			if slices.Contains(p.Roles, access.Prosecutor) {
				cu.Handlers = append(cu.Handlers, p.Name)
				if cu.Department == "" {
					cu.Department = p.DepartmentName
				}
			}
		}
		if manager == nil {
			continue
		}
		cards := SyntheticCards(d.Seed, cu, DemoCardsPerUnit, d.Now, 0.1)
		var file bytes.Buffer
		if err := casecard.WriteXLSX(&file, cards, d.Vocab); err != nil {
			return res, err
		}
		actor := audit.ActorOf(manager.Principal(), "seed", "")
		name := fmt.Sprintf("%s案卡导出%s.xlsx", u.ShortName, d.Now.Format("20060102"))
		if _, ir, err := d.Data.ImportFile(ctx, actor, u.ID, name, file.Bytes(), false); err != nil {
			return res, fmt.Errorf("seed: import cards of %s: %w", u.Name, err)
		} else {
			res.Imported += ir.New
		}
	}
	res.Scan, err = d.Data.ScanAll(ctx)
	return res, err
}
