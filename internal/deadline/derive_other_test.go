package deadline

import "testing"

func TestDeriveOtherCategories(t *testing.T) {
	cs := func(cat string, events ...Event) Case { return Case{Category: cat, Events: events} }
	urgent := Case{Category: CategoryPILAdmin, Urgent: true, Events: []Event{ev("recommendation_issued", "2025-03-04")}}
	adminExt := ev("extended", "2025-05-01")
	adminExt.Period = Months(2)
	runDerive(t, []deriveCase{
		{"civil supervision 3 months, month end", cs(CategoryCivilSupervision, ev("received", "2025-03-31")), "2025-04-01",
			[]string{"civil_supervision_review#1 2025-03-31→2025-06-30 running"}, nil},
		{"civil supervision over year end", cs(CategoryCivilSupervision, ev("received", "2024-11-30")), "2024-12-01",
			[]string{"civil_supervision_review#1 2024-11-30→2025-02-28 running"}, nil},
		// 民事诉讼监督规则 52: file retrieval and appraisal are not counted;
		// one day of it so far moves 4 June to 5 June.
		{"civil supervision: appraisal running is not counted", cs(CategoryCivilSupervision, ev("received", "2025-03-04"), ev("assessment_started", "2025-03-10")), "2025-03-11",
			[]string{"civil_supervision_review#1 2025-03-04→2025-06-05 suspended"}, nil},
		{"civil supervision: monitoring notice 5 days", cs(CategoryCivilSupervision, ev("received", "2025-03-01"), ev("notice_issued", "2025-03-03")), "2025-03-04",
			[]string{"civil_supervision_review#1 2025-03-01→2025-06-03 running", "monitoring_notice_reply#1 2025-03-03→2025-03-10 running"}, nil},
		{"admin supervision: appraisal not counted", cs(CategoryAdminSupervision, ev("received", "2025-03-04"),
			Event{Code: "assessment_started", Date: day("2025-04-01"), Reason: ReasonAudit}, ev("assessment_ended", "2025-04-21")), "2025-04-22",
			[]string{"admin_supervision_review#1 2025-03-04→2025-06-24 running"}, nil},
		{"admin supervision: chief's extension, default 1 month", cs(CategoryAdminSupervision, ev("received", "2025-03-04"), ev("extended", "2025-05-01")), "2025-05-02",
			[]string{"admin_supervision_review#1 2025-03-04→2025-07-04 running"}, nil},
		{"admin supervision: extension of the approved length", cs(CategoryAdminSupervision, ev("received", "2025-03-04"), adminExt), "2025-05-02",
			[]string{"admin_supervision_review#1 2025-03-04→2025-08-04 running"}, nil},
		{"unknown suspension reason", cs(CategoryAdminSupervision, ev("received", "2025-03-04"),
			Event{Code: "assessment_started", Date: day("2025-04-01"), Reason: "lunch"}), "2025-04-02",
			[]string{"admin_supervision_review#1 2025-03-04→2025-06-04 running"}, []error{ErrUnknownReason}},
		{"PIL reply 2 months, May Day shift", cs(CategoryPILAdmin, ev("recommendation_issued", "2025-03-04")), "2025-03-05",
			[]string{"pil_reply#1 2025-03-04→2025-05-06 running"}, nil},
		{"PIL reply urgent 15 days", urgent, "2025-03-05",
			[]string{"pil_reply#1 2025-03-04→2025-03-19 running"}, nil},
		{"PIL reply late", cs(CategoryPILAdmin, ev("recommendation_issued", "2025-03-04"), ev("replied", "2025-05-07")), "2025-05-08",
			[]string{"pil_reply#1 2025-03-04→2025-05-06 missed"}, nil},
		{"PIL notice running", cs(CategoryPILCivil, ev("notice_published", "2025-03-04")), "2025-03-10",
			[]string{"pil_notice#1 2025-03-04→2025-04-03 running"}, nil},
		{"PIL notice ran out: met", cs(CategoryPILCivil, ev("notice_published", "2025-03-04")), "2025-04-10",
			[]string{"pil_notice#1 2025-03-04→2025-04-03 met"}, nil},
		{"PIL suit after the notice", cs(CategoryPILCivil, ev("notice_published", "2025-03-04"), ev("decided", "2025-04-04")), "2025-04-10",
			[]string{"pil_notice#1 2025-03-04→2025-04-03 met"}, nil},
		{"PIL suit during the notice", cs(CategoryPILCivil, ev("notice_published", "2025-03-04"), ev("decided", "2025-04-01")), "2025-04-10",
			[]string{"pil_notice#1 2025-03-04→2025-04-03 stopped"}, []error{ErrBeforeNoticeEnd}},
		{"petition: 7 days, 3 months, then monthly", cs(CategoryPetition, ev("received", "2025-03-04"), ev("replied", "2025-03-06"),
			ev("progress_replied", "2025-06-03")), "2025-06-10",
			[]string{
				"petition_procedural_reply#1 2025-03-04→2025-03-11 met",
				"petition_result_reply#1 2025-03-04→2025-06-04 met",
				"petition_result_reply#2 2025-06-03→2025-07-03 running",
			}, nil},
		{"petition follow-up missed, then closed", cs(CategoryPetition, ev("received", "2025-03-04"), ev("progress_replied", "2025-03-06"),
			ev("progress_replied", "2025-06-03"), ev("closed", "2025-07-10")), "2025-07-20",
			[]string{
				"petition_procedural_reply#1 2025-03-04→2025-03-11 met",
				"petition_result_reply#1 2025-03-04→2025-06-04 met",
				"petition_result_reply#2 2025-03-06→2025-04-07 missed",
				"petition_result_reply#3 2025-06-03→2025-07-03 missed",
			}, nil},
		{"petition closed in time", cs(CategoryPetition, ev("received", "2025-03-04"), ev("closed", "2025-03-10")), "2025-07-20",
			[]string{"petition_procedural_reply#1 2025-03-04→2025-03-11 met", "petition_result_reply#1 2025-03-04→2025-06-04 met"}, nil},
		{"progress reply without a letter", cs(CategoryPetition, ev("progress_replied", "2025-03-04")), "2025-03-05", nil, []error{ErrNoOpenClock}},
		{"protest against a judgment: 10 days from the day after receipt", cs(KindProtestJudgment, ev("received", "2025-03-04")), "2025-03-05",
			[]string{"protest_judgment#1 2025-03-04→2025-03-14 running"}, nil},
		{"protest against a ruling over National Day", cs(KindProtestRuling, ev("received", "2025-09-26")), "2025-09-27",
			[]string{"protest_ruling#1 2025-09-26→2025-10-09 running"}, nil},
		{"protest against a ruling, defendant in custody", Case{Category: KindProtestRuling, InCustody: true,
			Events: []Event{ev("received", "2025-09-26")}}, "2025-09-27",
			[]string{"protest_ruling#1 2025-09-26→2025-10-01 running"}, nil},
		{"lawyer file review: 3 working days (R49)", cs(KindLawyerFileReview, ev("received", "2025-03-06"), ev("decided", "2025-03-11")), "2025-03-12",
			[]string{"lawyer_file_review#1 2025-03-06→2025-03-11 met"}, nil},
		{"lawyer file review over Spring Festival 2026", cs(KindLawyerFileReview, ev("received", "2026-02-12")), "2026-02-13",
			[]string{"lawyer_file_review#1 2026-02-12→2026-02-24 running"}, nil},
		{"legal aid: 24 hours, no holiday shift", cs(KindLegalAidTransfer, ev("received", "2025-04-03")), "2025-04-03",
			[]string{"legal_aid_transfer#1 2025-04-03→2025-04-04 running"}, nil},
		{"arrest reconsideration on its own", cs(KindArrestReconsideration, ev("received", "2025-03-03")), "2025-03-04",
			[]string{"arrest_reconsideration#1 2025-03-03→2025-03-10 running"}, nil},
		{"unknown category", cs("divination", ev("received", "2025-03-03")), "2025-03-04", nil, []error{ErrUnknownCategory}},
	})
}
