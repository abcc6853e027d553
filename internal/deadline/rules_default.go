package deadline

// Rule kinds of the default table. They are stable codes: stored with
// clocks, used in the API and CLI, and keyed in the i18n catalogue as
// "deadline.kind.<kind>".
const (
	KindArrestReview               = "arrest_review"
	KindArrestReconsideration      = "arrest_reconsideration"
	KindProsecutionReview          = "prosecution_review"
	KindSupplementaryInvestigation = "supplementary_investigation"
	KindNonProsecutionWithdrawal   = "non_prosecution_withdrawal"
	KindRightsNotice               = "rights_notice"
	KindProtestJudgment            = "protest_judgment"
	KindProtestRuling              = "protest_ruling"
	KindLegalAidTransfer           = "legal_aid_transfer"
	KindCivilSupervisionReview     = "civil_supervision_review"
	KindAdminSupervisionReview     = "admin_supervision_review"
	KindPILReply                   = "pil_reply"
	KindPILNotice                  = "pil_notice"
	KindPetitionProceduralReply    = "petition_procedural_reply"
	KindPetitionResultReply        = "petition_result_reply"
	KindLawyerFileReview           = "lawyer_file_review"
	KindMonitoringNoticeReply      = "monitoring_notice_reply"
)

// Citations used more than once.
const (
	basisCPL172   = "《刑事诉讼法》第一百七十二条第一款"
	basisCPL175   = "《刑事诉讼法》第一百七十五条第三款"
	basisR282     = "《人民检察院刑事诉讼规则》第二百八十二条"
	basisPIL      = "《最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释》"
	basisPetition = "群众来信“件件有回复”（《人民检察院刑事诉讼规则》第一百六十三条）"
)

// DefaultRules returns the default rule table (DOMAIN §5.2–5.4). Each call
// builds a fresh set, so no caller can change another's rules.
func DefaultRules() *RuleSet {
	s, err := NewRuleSet(defaultRules()...)
	if err != nil {
		// The table is checked by the package tests; failing here is a
		// build defect.
		panic(err)
	}
	return s
}

func defaultRules() []Rule {
	criminal := []string{CategoryProsecutionReview}
	return []Rule{
		{
			// CPL 91 ¶3: 7 days for a detained suspect. R282: 15 days if
			// not detained, at most 20 for a major or complex case.
			Kind:       KindArrestReview,
			Categories: []string{CategoryArrestReview},
			Triggers:   []Trigger{{Event: EventReceived, Once: true}},
			Variants: []Variant{
				{When: Cond{InCustody: Yes}, Base: Days(7), Basis: "《刑事诉讼法》第九十一条第三款"},
				{When: Cond{Major: Yes}, Base: Days(20), Basis: basisR282},
				// A case found major or complex during review gets the
				// other 5 days as one extension (15 → 20), which is how
				// the case record shows it.
				{Base: Days(15), Basis: basisR282,
					Extension: &ExtensionRule{Period: Days(5), Max: 1, Basis: basisR282}},
			},
			MetBy:            []string{EventDecided},
			CustodySensitive: true,
		},
		{
			// R290: the police's request to reconsider a refusal to
			// arrest is decided in 7 days by another prosecutor.
			Kind:             KindArrestReconsideration,
			Categories:       []string{CategoryArrestReview},
			Triggers:         []Trigger{{Event: EventReconsiderationRequested, Once: true}},
			Variants:         []Variant{{Base: Days(7), Basis: "《人民检察院刑事诉讼规则》第二百九十条"}},
			MetBy:            []string{EventDecided},
			CustodySensitive: true,
		},
		{
			// CPL 172 ¶1: 1 month, +15 days once for a major or complex
			// case; fast track 10 days, 15 if the sentence may exceed one
			// year (no further extension). CPL 172 ¶2: a change of
			// jurisdiction restarts it at the new procuratorate. CPL 175
			// ¶3: it restarts from zero on resubmission after a return.
			// CPL 149: psychiatric assessment is not counted.
			Kind:       KindProsecutionReview,
			Categories: criminal,
			Triggers: []Trigger{
				{Event: EventReceived, Once: true},
				{Event: EventResubmitted, Requires: KindSupplementaryInvestigation,
					MissingErr: ErrResubmitWithoutReturn, Restart: true, Label: "deadline.start.resubmitted"},
				{Event: EventJurisdictionChanged, Requires: KindProsecutionReview, Restart: true,
					Label: "deadline.start.jurisdiction_changed"},
			},
			Variants: []Variant{
				{When: Cond{FastTrack: Yes, SentenceOverOneYear: Yes}, Base: Days(15), Basis: basisCPL172 + "（速裁，可能判处一年以上有期徒刑）"},
				{When: Cond{FastTrack: Yes}, Base: Days(10), Basis: basisCPL172 + "（速裁）"},
				{Base: Months(1), Basis: basisCPL172,
					Extension: &ExtensionRule{Period: Days(15), Max: 1, Basis: basisCPL172}},
			},
			MetBy:            []string{EventDecided},
			StopBy:           []string{EventReturned, EventJurisdictionChanged},
			Suspendable:      true,
			CustodySensitive: true,
		},
		{
			// CPL 175 ¶3: the police finish supplementary investigation
			// within 1 month; at most two returns.
			Kind:       KindSupplementaryInvestigation,
			Categories: criminal,
			Triggers:   []Trigger{{Event: EventReturned, Requires: KindProsecutionReview}},
			Variants:   []Variant{{Base: Months(1), Basis: basisCPL175}},
			MetBy:      []string{EventResubmitted},
			Limit:      2,
			LimitErr:   ErrTooManyReturns,
			// The suspect usually stays in custody meanwhile.
			CustodySensitive: true,
		},
		{
			// R424: after withdrawing a prosecution, decide on
			// non-prosecution within 30 days.
			Kind:             KindNonProsecutionWithdrawal,
			Categories:       criminal,
			Triggers:         []Trigger{{Event: EventWithdrawn}},
			Variants:         []Variant{{Base: Days(30), Basis: "《人民检察院刑事诉讼规则》第四百二十四条"}},
			MetBy:            []string{EventDecided},
			CustodySensitive: true,
		},
		{
			// CPL 34 ¶2, 46 ¶2; R40, R55: within 3 days of receiving a
			// transfer for prosecution, tell the suspect of the right to
			// counsel and the victim of the right to an agent. It is
			// custody-sensitive because CPL 105 speaks of every period
			// while the person is in custody, and keeping the earlier date
			// never makes a warning late.
			Kind:             KindRightsNotice,
			Categories:       criminal,
			Triggers:         []Trigger{{Event: EventReceived, Once: true}},
			Variants:         []Variant{{Base: Days(3), Basis: "《刑事诉讼法》第三十四条、第四十六条；《人民检察院刑事诉讼规则》第四十条、第五十五条"}},
			MetBy:            []string{EventRightsNotified},
			CustodySensitive: true,
		},
		{
			// CPL 230: 10 days to protest a judgment, counted from the day
			// after receipt — which is what CPL 105 does anyway, so the
			// start day is the day of receipt, not counted.
			Kind:             KindProtestJudgment,
			ReceivedLabel:    "deadline.start.judgment_received",
			Variants:         []Variant{{Base: Days(10), Basis: "《刑事诉讼法》第二百三十条"}},
			MetBy:            []string{EventDecided},
			CustodySensitive: true,
		},
		{
			// CPL 230: 5 days to protest a ruling.
			Kind:             KindProtestRuling,
			ReceivedLabel:    "deadline.start.ruling_received",
			Variants:         []Variant{{Base: Days(5), Basis: "《刑事诉讼法》第二百三十条"}},
			MetBy:            []string{EventDecided},
			CustodySensitive: true,
		},
		{
			// 法律援助法 39 (verify): a detainee's legal-aid application is
			// passed on within 24 hours. See Count for hour periods.
			Kind:     KindLegalAidTransfer,
			Variants: []Variant{{Base: Hours(24), Basis: "《法律援助法》第三十九条"}},
			MetBy:    []string{EventDecided},
		},
		{
			// 人民检察院民事诉讼监督规则 (2021) 52 (verify): review within
			// 3 months; time for retrieving files, appraisal, evaluation,
			// audit and expert consultation is not counted (the same
			// article), so the clock is suspendable. DOMAIN gives the
			// chief's extension for administrative supervision only, so
			// none here.
			Kind:        KindCivilSupervisionReview,
			Categories:  []string{CategoryCivilSupervision},
			Triggers:    []Trigger{{Event: EventReceived, Once: true}},
			Variants:    []Variant{{Base: Months(3), Basis: "《人民检察院民事诉讼监督规则》第五十二条"}},
			MetBy:       []string{EventDecided},
			Suspendable: true,
		},
		{
			// 人民检察院行政诉讼监督规则 (2021): review within 3 months;
			// time for retrieving files, appraisal, evaluation and audit
			// is not counted; the chief may extend. The law leaves the
			// length to the chief, so the event may carry it; the default
			// of one month, once, is a placeholder (verify).
			Kind:       KindAdminSupervisionReview,
			Categories: []string{CategoryAdminSupervision},
			Triggers:   []Trigger{{Event: EventReceived, Once: true}},
			Variants: []Variant{{Base: Months(3), Basis: "《人民检察院行政诉讼监督规则》",
				Extension: &ExtensionRule{Period: Months(1), Max: 1, Variable: true, Basis: "《人民检察院行政诉讼监督规则》（检察长批准）"}}},
			MetBy:       []string{EventDecided},
			Suspendable: true,
		},
		{
			// PIL interpretation 21: the organ answers a pre-suit
			// recommendation within 2 months, 15 days in an emergency.
			Kind:       KindPILReply,
			Categories: []string{CategoryPILAdmin},
			Triggers:   []Trigger{{Event: EventRecommendationIssued}},
			Variants: []Variant{
				{When: Cond{Urgent: Yes}, Base: Days(15), Basis: basisPIL + "第二十一条（紧急情形）"},
				{Base: Months(2), Basis: basisPIL + "第二十一条"},
			},
			MetBy: []string{EventReplied},
		},
		{
			// PIL interpretation 13: a civil PIL suit is preceded by a
			// 30-day public notice; it is a waiting period.
			Kind:       KindPILNotice,
			Categories: []string{CategoryPILCivil},
			Triggers:   []Trigger{{Event: EventNoticePublished, Once: true}},
			Variants:   []Variant{{Base: Days(30), Basis: basisPIL + "第十三条"}},
			MetBy:      []string{EventDecided},
			Waiting:    true,
		},
		{
			// A procedural reply to a letter within 7 days.
			Kind:       KindPetitionProceduralReply,
			Categories: []string{CategoryPetition},
			Triggers:   []Trigger{{Event: EventReceived, Once: true}},
			Variants:   []Variant{{Base: Days(7), Basis: basisPetition}},
			MetBy:      []string{EventReplied, EventProgressReplied, EventDecided, EventClosed},
		},
		{
			// The result or progress within 3 months, then a follow-up
			// reply every month until closed: each progress reply meets
			// the running clock and starts a one-month one.
			Kind:       KindPetitionResultReply,
			Categories: []string{CategoryPetition},
			Triggers: []Trigger{
				{Event: EventReceived, Once: true},
				{Event: EventProgressReplied, Requires: KindPetitionResultReply, Base: Months(1),
					Label: "deadline.start.follow_up"},
			},
			Variants: []Variant{{Base: Months(3), Basis: basisPetition}},
			MetBy:    []string{EventProgressReplied, EventDecided, EventClosed},
		},
		{
			// R49: a lawyer's file review is arranged at once or within 3
			// working days.
			Kind:     KindLawyerFileReview,
			Variants: []Variant{{Base: WorkingDays(3), Basis: "《人民检察院刑事诉讼规则》第四十九条"}},
			MetBy:    []string{EventDecided},
		},
		{
			// R665: the handling department answers a monitoring notice
			// within 10 days; 5 days in civil supervision (DOMAIN §5.4;
			// the source of the 5 days is to be verified).
			Kind:       KindMonitoringNoticeReply,
			Categories: []string{"*"},
			Triggers:   []Trigger{{Event: EventNoticeIssued}},
			Variants: []Variant{
				{When: Cond{Categories: []string{CategoryCivilSupervision}}, Base: Days(5), Basis: "民事诉讼监督案件流程监控通知书回复期限"},
				{Base: Days(10), Basis: "《人民检察院刑事诉讼规则》第六百六十五条"},
			},
			MetBy: []string{EventNoticeReplied},
		},
	}
}
