package aid

import (
	"context"
	"fmt"

	"github.com/anguan/anguan/internal/apperr"
)

// What the aided side shares beyond aggregates, when the agreement says
// so (共享内容): the review of its evaluated cases (评查讲评) and its
// anonymised problem lists (匿名问题清单). Both are anonymous by
// construction — no case number, name, party, handler or free text ever
// leaves the aided unit, and a sealed record (CPL 286) is never counted —
// so the aiding experts can coach on what goes wrong without seeing a
// case list the agreement does not give them.

// Sources of a shared problem.
const (
	SourceDataQuality = "dataquality" // 数据质量问题
	SourceMonitor     = "monitor"     // 流程监控发现
)

// sharedLimit caps each list: coaching needs the pattern, not every row.
const sharedLimit = 200

// ReviewItem is one checklist item found wanting in the unit's reviews.
type ReviewItem struct {
	Code    string `json:"code"`
	Title   string `json:"title"`
	Aspect  string `json:"aspect"`
	Flaws   int    `json:"flaws"`
	Serious int    `json:"serious"`
	Records int    `json:"records"`
}

// ReviewSummary is the unit's evaluation review of the period: records
// graded, those with problems that stood, and the items found wanting.
type ReviewSummary struct {
	Records      int          `json:"records"`
	WithProblems int          `json:"with_problems"`
	WithSerious  int          `json:"with_serious"`
	Items        []ReviewItem `json:"items"`
}

// SharedProblem is one problem with everything that identifies its case
// left out: where it was found, by which rule, the item or area, its
// severity, the case's category, its status and the day detected.
type SharedProblem struct {
	No           int    `json:"no"`
	Source       string `json:"source"`
	RuleID       string `json:"rule_id"`
	Title        string `json:"title"`
	What         string `json:"what"`
	Severity     string `json:"severity"`
	Category     string `json:"category"`
	CategoryName string `json:"category_name"`
	Status       string `json:"status"`
	DetectedOn   string `json:"detected_on"`
}

// SharedUnit is what one aided unit shares.
type SharedUnit struct {
	Unit          Unit            `json:"unit"`
	Reviews       *ReviewSummary  `json:"reviews,omitempty"`
	Problems      []SharedProblem `json:"problems,omitempty"`
	ProblemsTotal int             `json:"problems_total"`
}

// Shared is the shared content of a pairing over its period up to today.
type Shared struct {
	Pairing Pairing      `json:"-"`
	From    string       `json:"from"`
	To      string       `json:"to"`
	Units   []SharedUnit `json:"units"`
}

// SharedStore reads what an aided unit shares, anonymised, sealed records
// left out, in SQL.
type SharedStore interface {
	AidSharedReviews(ctx context.Context, unitID int64, from, to string, limit int) (ReviewSummary, error)
	AidSharedProblems(ctx context.Context, unitID int64, from, to string, limit int) ([]SharedProblem, int, error)
}

// Sharing reports whether the agreement shares anything beyond
// aggregates (the page and its tab exist only then).
func (pr Pairing) Sharing() bool { return pr.Shares.Reviews || pr.Shares.Problems }

// Shared reads what the aided units share with the aiding side over the
// pairing's period up to today, audited. Who may open the pairing may
// read it; an agreement that shares neither reviews nor problem lists
// gives nothing (forbidden).
func (s *Service) Shared(ctx context.Context, r Request, pairingID int64) (Shared, error) {
	pr, err := s.visible(ctx, r, pairingID)
	if err != nil {
		return Shared{}, err
	}
	if !pr.Sharing() {
		return Shared{}, apperr.ErrForbidden
	}
	out := Shared{Pairing: pr, From: pr.StartOn, To: min(pr.EndOn, s.Today())}
	rows := 0
	for _, u := range pr.Aided {
		su := SharedUnit{Unit: u}
		if pr.Shares.Reviews {
			rv, err := s.store.AidSharedReviews(ctx, u.ID, out.From, out.To, sharedLimit)
			if err != nil {
				return Shared{}, err
			}
			su.Reviews = &rv
		}
		if pr.Shares.Problems {
			ps, total, err := s.store.AidSharedProblems(ctx, u.ID, out.From, out.To, sharedLimit)
			if err != nil {
				return Shared{}, err
			}
			for i := range ps {
				ps[i].No = i + 1
				if ps[i].Source == SourceMonitor {
					ps[i].Title = s.monitorRuleTitle(ps[i].RuleID)
				}
			}
			su.Problems, su.ProblemsTotal = ps, total
			rows += len(ps)
		}
		out.Units = append(out.Units, su)
	}
	if err := s.audited(ctx, r, "aid.shared.view", pairingID, fmt.Sprintf("reviews=%t problems=%t rows=%d",
		pr.Shares.Reviews, pr.Shares.Problems, rows)); err != nil {
		return Shared{}, err
	}
	return out, nil
}

// monitorRuleTitle names a monitoring rule from the monitoring catalogue;
// a finding recorded by hand has no rule.
func (s *Service) monitorRuleTitle(id string) string {
	if id == "" {
		return s.t("aid.shared.manual")
	}
	return s.t("monitor.rule." + id + ".title")
}
