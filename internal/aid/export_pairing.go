package aid

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/anguan/anguan/internal/xlsx"
)

// PairingXLSX writes everything a reader of the pairing may see of it as
// one workbook: the terms, activities and their follow-ups, the fund
// ledger, the talent pipeline (levels, evidence, proposals, mentorships),
// training (courses with attendance, quizzes with attempts) and, where
// the agreement shares it, Q&A. Each part is read through the service
// method its page uses, so the same access rules and audit apply, and the
// export itself is audited.
func (s *Service) PairingXLSX(ctx context.Context, r Request, pairingID int64) (name string, body []byte, err error) {
	pr, acts, err := s.Activities(ctx, r, pairingID)
	if err != nil {
		return "", nil, err
	}
	_, es, tot, err := s.Ledger(ctx, r, pairingID)
	if err != nil {
		return "", nil, err
	}
	tl, err := s.Talent(ctx, r, pairingID)
	if err != nil {
		return "", nil, err
	}
	tr, err := s.Training(ctx, r, pairingID)
	if err != nil {
		return "", nil, err
	}
	_, qs, err := s.Questions(ctx, r, pairingID, "")
	if err != nil {
		return "", nil, err
	}
	sheets := []xlsx.Sheet{s.termsSheet(pr), s.activitySheet(acts), s.followUpSheet(acts), s.ledgerSheet(pr, es, tot)}
	sheets = append(sheets, s.talentSheets(tl)...)
	ts, err := s.trainingSheets(ctx, r, tr)
	if err != nil {
		return "", nil, err
	}
	sheets = append(sheets, ts...)
	if pr.Shares.QA {
		sheets = append(sheets, s.qaSheet(qs))
	}
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, sheets...); err != nil {
		return "", nil, err
	}
	if err := s.audited(ctx, r, "aid.export", pairingID, fmt.Sprintf("sheets=%d", len(sheets))); err != nil {
		return "", nil, err
	}
	return s.t("ui.aid.export_file", pr.Name) + "-" + s.Today() + ".xlsx", buf.Bytes(), nil
}

func strs(vals ...string) []xlsx.Cell {
	out := make([]xlsx.Cell, len(vals))
	for i, v := range vals {
		out[i] = xlsx.Str(v)
	}
	return out
}

func (s *Service) sheet(key string, header ...string) xlsx.Sheet {
	h := make([]string, len(header))
	for i, k := range header {
		h[i] = s.t(k)
	}
	return xlsx.Sheet{Name: s.t(key), Header: h}
}

func (s *Service) termsSheet(pr Pairing) xlsx.Sheet {
	t := s.t
	sh := s.sheet("ui.aid.x.terms", "ui.aid.x.item", "ui.aid.x.value")
	var shared []string
	for _, f := range []struct {
		on  bool
		key string
	}{{pr.Shares.Aggregates, "aggregates"}, {pr.Shares.Reviews, "reviews"}, {pr.Shares.Problems, "problems"}, {pr.Shares.QA, "qa"}} {
		if f.on {
			shared = append(shared, t("ui.aid.share."+f.key))
		}
	}
	var contacts []string
	for _, c := range pr.Contacts {
		contacts = append(contacts, c.Unit+" "+c.Name+" "+c.Phone)
	}
	for _, kv := range [][2]string{
		{t("ui.aid.x.name"), pr.Name}, {t("ui.aid.x.aiding"), UnitNames(pr.Aiding)}, {t("ui.aid.x.aided"), UnitNames(pr.Aided)},
		{t("ui.aid.period"), pr.StartOn + " — " + pr.EndOn}, {t("ui.aid.shares"), strings.Join(shared, "、")},
		{t("ui.aid.x.contacts"), strings.Join(contacts, "；")}, {t("ui.aid.x.agreement"), pr.Agreement},
	} {
		sh.Rows = append(sh.Rows, strs(kv[0], kv[1]))
	}
	return sh
}

func (s *Service) activitySheet(acts []Activity) xlsx.Sheet {
	sh := s.sheet("ui.aid.tab.activities", "ui.aid.x.date", "ui.aid.col.kind", "ui.aid.x.place", "ui.aid.x.participants",
		"ui.aid.x.agreed", "ui.aid.x.followups")
	for _, a := range acts {
		sh.Rows = append(sh.Rows, append(strs(a.HeldOn, s.t("ui.aid.kind."+a.Kind), a.Place, a.Participants, a.Agreed),
			xlsx.Int(len(a.FollowUps))))
	}
	return sh
}

func (s *Service) followUpSheet(acts []Activity) xlsx.Sheet {
	sh := s.sheet("ui.aid.x.followup_sheet", "ui.aid.x.activity", "ui.aid.x.followup", "ui.aid.x.owner", "ui.aid.x.due",
		"ui.aid.x.status", "ui.aid.x.done")
	for _, a := range acts {
		for _, f := range a.FollowUps {
			sh.Rows = append(sh.Rows, strs(a.HeldOn+" "+s.t("ui.aid.kind."+a.Kind), f.Item, f.Owner, f.DueOn,
				s.t("ui.aid.status."+f.Status), f.DoneOn))
		}
	}
	return sh
}

func (s *Service) talentSheets(tl Talent) []xlsx.Sheet {
	fw := tl.Framework
	names := map[int64]string{}
	levels := xlsx.Sheet{Name: s.t("ui.aid.tab.talent"), Header: []string{s.t("ui.aid.staff"), s.t("ui.aid.unit")}}
	for _, a := range fw.Areas {
		levels.Header = append(levels.Header, a.Name)
	}
	for _, st := range tl.Staff {
		names[st.ID] = st.Name
		row := strs(st.Name, st.UnitName)
		for _, a := range fw.Areas {
			row = append(row, xlsx.Str(fw.LevelName(st.Level(a.Code))))
		}
		levels.Rows = append(levels.Rows, row)
	}
	ev := s.sheet("ui.aid.x.evidence_sheet", "ui.aid.staff", "aid.field.area", "aid.field.evidence_kind", "ui.aid.x.date",
		"ui.aid.x.note")
	for _, e := range tl.Evidence {
		ev.Rows = append(ev.Rows, strs(names[e.UserID], fw.AreaName(e.Area), s.t("ui.aid.evidence_kind."+e.Kind), e.OnDate, e.Note))
	}
	pp := s.sheet("ui.aid.proposals", "ui.aid.staff", "aid.field.area", "ui.aid.x.from", "ui.aid.x.to", "ui.aid.proposal_source",
		"aid.field.reason", "aid.field.status", "ui.aid.decided_by")
	for _, p := range tl.Proposals {
		src := s.t("ui.aid.source_manual")
		if p.Rule != "" {
			src = s.t("ui.aid.source_system")
		}
		pp.Rows = append(pp.Rows, strs(p.UserName, fw.AreaName(p.Area), fw.LevelName(p.From), fw.LevelName(p.To), src, p.Reason,
			s.t("ui.aid.proposal_status."+p.Status), p.DeciderName))
	}
	ms := s.sheet("ui.aid.x.mentorship_sheet", "ui.aid.x.mentor", "ui.aid.x.trainee", "aid.field.area")
	for _, m := range tl.Mentorships {
		ms.Rows = append(ms.Rows, strs(m.MentorName, m.TraineeName, fw.AreaName(m.Area)))
	}
	return []xlsx.Sheet{levels, ev, pp, ms}
}

func (s *Service) trainingSheets(ctx context.Context, r Request, tr Training) ([]xlsx.Sheet, error) {
	fw := tr.Framework
	cs := s.sheet("ui.aid.x.course_sheet", "ui.aid.x.course", "aid.field.area", "ui.aid.x.mode", "ui.aid.x.trainer",
		"ui.aid.x.sessions", "ui.aid.x.completed")
	for _, c := range tr.Courses {
		var sessions, done []string
		for _, ss := range c.Sessions {
			sessions = append(sessions, fmt.Sprintf("%s %s—%s %s（%d）", ss.OnDate, ss.StartTime, ss.EndTime, ss.Venue,
				len(ss.Attendees)))
		}
		for _, cp := range c.Completions {
			done = append(done, cp.UserName)
		}
		cs.Rows = append(cs.Rows, strs(c.Title, fw.AreaName(c.Area), s.t("ui.aid.training.mode."+c.Mode), c.Trainer,
			strings.Join(sessions, "；"), strings.Join(done, "、")))
	}
	as := s.sheet("ui.aid.x.attempt_sheet", "ui.aid.x.quiz", "aid.field.area", "ui.aid.staff", "ui.aid.x.score",
		"ui.aid.x.passed", "ui.aid.x.date")
	for _, q := range tr.Quizzes {
		_, _, attempts, err := s.Quiz(ctx, r, q.ID)
		if err != nil {
			return nil, err
		}
		for _, a := range attempts {
			passed := s.t("ui.aid.x.no")
			if a.Passed {
				passed = s.t("ui.aid.x.yes")
			}
			as.Rows = append(as.Rows, []xlsx.Cell{xlsx.Str(q.Title), xlsx.Str(fw.AreaName(q.Area)), xlsx.Str(a.UserName),
				xlsx.Int(a.Score), xlsx.Str(passed), xlsx.Str(a.SubmittedAt.In(cst).Format("2006-01-02 15:04"))})
		}
	}
	return []xlsx.Sheet{cs, as}, nil
}

func (s *Service) qaSheet(qs []Question) xlsx.Sheet {
	sh := s.sheet("ui.aid.tab.qa", "aid.field.title", "ui.aid.asked_by", "aid.field.tags", "aid.field.status", "ui.aid.asked_at",
		"ui.aid.response_hours", "ui.aid.x.posts", "aid.field.rules")
	for _, q := range qs {
		refs := make([]string, len(q.Rules))
		for i, r := range q.Rules {
			refs[i] = r.Ref
		}
		sh.Rows = append(sh.Rows, append(strs(q.Title, q.UnitName+" "+q.AskerName, strings.Join(q.Tags, "、"),
			s.t("ui.aid.question_status."+q.Status), q.AskedAt.In(cst).Format("2006-01-02 15:04"), q.ResponseText()),
			xlsx.Int(len(q.Posts)), xlsx.Str(strings.Join(refs, "、"))))
	}
	return sh
}
