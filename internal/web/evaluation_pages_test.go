package web_test

import (
	"net/http"
	"testing"
)

// pageVisit is one visit of TestEveryPage.
type pageVisit struct {
	page   string // template name, from Pages()
	user   string // "" for signed out
	path   string
	status int
	want   []string
}

// evaluationVisits are the case-quality pages, each as a user who may see
// it, over seedEvaluation's state: the landing page per capacity, the
// self-checks (owed, filed, refused filter), the templates (list, tree,
// edit), the activities (list, plan, one running), the records at each
// step, the statistics and a prosecutor's quality record.
func evaluationVisits(t *testing.T, e *env, ev *evalFixture) []pageVisit {
	rec := func(id int64) string { return "/quality/records/" + itoa(id) }
	tpl := "/quality/templates/" + itoa(ev.template)
	act := "/quality/activities/" + itoa(ev.activity)
	return []pageVisit{
		{"evaluation_home", "a_case_manager", "/quality", 200, []string{"案件质量", "评查活动", "2026年3月审查起诉案件常规抽查",
			"新建评查活动", "异议待评查委员会决定", "测某43盗窃案"}},
		{"evaluation_home", "a_prosecutor", "/quality", 200, []string{"我的自查任务", "测某40盗窃案", "待我反馈的评查等次",
			"我的评查任务", "测某41盗窃案", "我的办案质量档案"}},
		{"evaluation_home", "a_dept_head", "/quality", 200, []string{"待核查的自查", "测某41盗窃案"}},
		{"evaluation_home", "a_aid_partner", "/quality", 200, []string{"我的评查任务", "测某42盗窃案"}},
		{"evaluation_home", "a_sysadmin", "/quality", 200, []string{"打开评查模板"}},
		{"home", "a_prosecutor", "/", 200, []string{"我的自查任务", "测某40盗窃案", "2026-03-26", "我的评查任务", "测某41盗窃案"}},
		{"home", "a_aid_partner", "/", 200, []string{"我的评查任务", "测某42盗窃案"}},
		{"evaluation_selfchecks", "a_case_manager", "/quality/selfchecks", 200, []string{"案件质量自查", "测某40盗窃案",
			"测某41盗窃案", "待自查", "已自查，待核查", "2026-03-26", "测检察官二"}},
		{"evaluation_selfchecks", "a_prosecutor", "/quality/selfchecks?status=pending", 200, []string{"测某40盗窃案"}},
		{"evaluation_selfchecks", "a_case_manager", "/quality/selfchecks?closed_from=2026-02-30&status=lost",
			http.StatusUnprocessableEntity, []string{"办结日期起：不是有效日期", "状态：取值无效"}},
		{"evaluation_selfcheck", "a_prosecutor", "/quality/selfchecks/" + itoa(ev.checkPending), 200, []string{
			"案件质量自查：测某40盗窃案", "待自查", "2026-03-26", "10个工作日", "填写自查", "证据审查", "司法责任落实与廉洁",
			"PS-EV-01", "证据是否确实、充分", "依据与评查指引", "刑事诉讼法", `name="opt.PS-EV-01" value="flaw"`, "提交自查报告"}},
		{"evaluation_selfcheck", "a_dept_head", "/quality/selfchecks/" + itoa(ev.checkSubmitted), 200, []string{
			"已自查，待核查", "不起诉决定书送达回证缺日期", "案件依法作出存疑不起诉决定", `name="verdict.PS-DC-02"`,
			"补充发现的问题", "提交核查意见"}},
		{"evaluation_templates", "a_sysadmin", "/quality/templates", 200, []string{"审查起诉案件质量评查模板",
			"审查逮捕案件质量评查模板", "prosecution_review", "最新版本", "导入模板（JSON）"}},
		{"evaluation_template", "a_prosecutor", tpl, 200, []string{"审查起诉案件质量评查模板（第1版）", "证据审查", "PS-EV-01",
			"优质案件", "基本合格案件", "不合格案件", "有严重问题1项以上的，为不合格案件", "导出JSON"}},
		{"evaluation_template_edit", "a_case_manager", tpl + "/edit", 200, []string{"修改评查模板", "aspects[0].items[0].title",
			"新增评查项目", "删除此项目", "保存为新版本"}},
		{"evaluation_activities", "a_chief", "/quality/activities", 200, []string{"2026年3月审查起诉案件常规抽查", "常规抽查",
			"评查中", "测chief"}},
		{"evaluation_activity_new", "a_case_manager", "/quality/activities/new", 200, []string{"新建评查活动", "2025-10-01",
			"2025-12-31", "测检察官二", "测aid_partner", "审查起诉", "2026年评查等次"}},
		{"evaluation_activity", "a_case_manager", act, 200, []string{"2026年3月审查起诉案件常规抽查", "20260316", "100%",
			"抽样总体", "测某40盗窃案", "测某44盗窃案", "分配说明", "人工分配给", "下载评查报告（Word）", "测aid_partner"}},
		{"evaluation_records", "a_prosecutor", "/quality/records?mine=evaluator", 200, []string{"测某41盗窃案", "测某43盗窃案"}},
		{"evaluation_record", "a_prosecutor", rec(ev.recScoring), 200, []string{"案件评查：测某41盗窃案", "评分", "保存评分",
			"拟定等次", "PS-EV-01", `name="grade" value="excellent"`, "合格案件"}},
		{"evaluation_record", "a_prosecutor", rec(ev.recProposed), 200, []string{"承办人反馈", "认可", "提出异议", "2026-03-23",
			"基本合格案件", "受理后第五日才告知", "权利告知超过三日期限"}},
		{"evaluation_record", "a_chief", rec(ev.recObjected), 200, []string{"评查委员会决定", "PS-DC-06", "已更正，卷内有记录",
			"维持", "撤销", "案卡已于结案前更正"}},
		{"evaluation_record", "a_case_manager", rec(ev.recFinal), 200, []string{"合格案件", "整改落实", "办结评查记录", "认可"}},
		{"evaluation_record", "a_aid_partner", rec(ev.recAid), 200, []string{"保存评分", "测某42盗窃案"}},
		{"evaluation_stats", "a_case_manager", "/quality/stats", 200, []string{"甲县人民检察院案件质量评查统计", "等次分布",
			"合格案件", "高发问题", "评查员校准", "导出Excel", "测检察官二"}},
		{"evaluation_stats", "a_chief", "/quality/stats?by=handler", 200, []string{"等次分布（按承办检察官）", "测检察官三"}},
		{"evaluation_stats", "a_case_manager", "/quality/stats?from=2026-02-30", http.StatusUnprocessableEntity,
			[]string{"日期起：不是有效日期"}},
		{"evaluation_person", "a_case_manager", "/quality/people/" + itoa(e.f.User(t, "a_prosecutor3").ID), 200,
			[]string{"办案质量档案：测检察官三", "合格案件", "测某44盗窃案"}},
	}
}
