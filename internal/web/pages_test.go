package web_test

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// TestEveryPage renders every parsed page through a real request, as a user
// allowed to see it, over realistic data, and checks the status, that no
// i18n key is missing, and the page's key content.
func TestEveryPage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		mon := seedMonitor(t, e)
		type visit = pageVisit
		visits := []visit{
			{"login", "", "/login", 200, []string{"案管 · 检察案件管理工作台", `name="username"`, `name="password"`, "连续输错密码5次"}},
			{"home", "a_case_manager", "/", 200, []string{"测case_manager，您好", "待分案队列", "测某1盗窃案", e.stagePend, "本院未结案件", "最近受理"}},
			{"home", e.rotatedTo, "/", 200, []string{"我承办的案件", "测某3盗窃案", "我承办的未结案件"}},
			{"home", "a_chief", "/", 200, []string{"最近受理", "测某3盗窃案", "本院未结案件"}},
			{"home", "a_sysadmin", "/", 200, []string{"三员分立"}},
			{"cases", "a_case_manager", "/cases", 200, []string{"共 5 件", e.stagePend, e.stageAssig, "测某1盗窃案", "待分案", "退回补充侦查中", "待补充材料"}},
			{"cases", "a_case_manager", "/cases?q=" + "测某3", 200, []string{"共 1 件", "测某3盗窃案"}},
			{"cases", "up_upper_supervisor", "/cases?category=prosecution_review", 200, []string{"共 6 件", "甲县人民检察院", "乙县人民检察院"}},
			{"cases", "a_case_manager", "/cases?handler_id=" + itoa(e.f.User(t, "a_assistant").ID), 200, []string{"共 1 件", "测某9盗窃案", `name="handler_id" value="` + itoa(e.f.User(t, "a_assistant").ID) + `"`}},
			{"intake", "a_case_manager", "/cases/new", 200, []string{"受理登记", "案件信息", "当事人1", "受理审查", "是否属于本院管辖", "提交受理登记", "＋ 添加当事人"}},
			{"case", "a_case_manager", "/cases/" + itoa(e.pending), 200, []string{e.stagePend, "测某1盗窃案", "甲县公安局", "随机分案（按轮案规则）", "指定分案", "测某1", "被害人1", "程序流程", "受理"}},
			{"case", "a_case_manager", "/cases/" + itoa(e.assigned), 200, []string{e.stageAssig, "第1轮：", "轮到", "延长审查期限", "退回补充侦查", "案情复杂", "退回补充侦查 1 次；延长审查期限 1 次"}},
			{"case", e.rotatedTo, "/cases/" + itoa(e.assigned), 200, []string{"登记程序事件", "补充侦查后重新移送"}},
			{"case", "a_case_manager", "/cases/" + itoa(e.awaiting), 200, []string{"要求补充材料", "补充材料后处理", "缺少扣押物品清单", "未编号"}},
			{"case", "up_upper_supervisor", "/cases/" + itoa(e.assigned), 200, []string{e.stageAssig, "第1轮："}},
			{"pools", "a_case_manager", "/pools", 200, []string{"刑事检察部 × 审查起诉", "刑事检察部 × 审查逮捕", "测prosecutor", "测检察官二", "1/1", "新建轮案池"}},
			{"pools", "a_dept_head", "/pools", 200, []string{"刑事检察部 × 审查起诉", "测检察官三"}},
			{"workload", "a_case_manager", "/workload", 200, []string{"未结案件", "测prosecutor", "测assistant", "测检察官二"}},
			{"units", "a_sysadmin", "/admin/units", 200, []string{"甲县人民检察院", "99010000", "甲检", "刑事检察部", "新增下级单位"}},
			{"users", "a_secadmin", "/admin/users", 200, []string{"a_case_manager", "a_prosecutor2", "案管员", "新增人员"}},
			{"roles", "a_sysadmin", "/admin/roles", 200, []string{"三员分立", "sysadmin", "upper_supervisor"}},
			{"password", "a_prosecutor", "/account/password", 200, []string{"原密码", "新密码", "确认新密码"}},
			{"calculator", "a_case_manager", "/deadlines/calc?category=prosecution_review&today=2025-05-01" +
				"&events%5B0%5D.type=received&events%5B0%5D.date=2025-03-04", 200,
				[]string{"期限计算器", "审查起诉期限", "4月4日至6日为法定节假日", "2025-04-07"}},
			{"board", "a_case_manager", "/board", 200, []string{"流程监控台", "计算中的期限", "红色预警", "退回补充侦查期限", "起算日"}},
			{"board", "a_case_manager", "/board?colour=purple", http.StatusUnprocessableEntity, []string{"预警颜色："}},
			{"calendar", "a_sysadmin", "/calendar", 200, []string{"节假日日历", "2026年", "2024年", "随系统提供", "导入年度节假日", "调休上班日"}},
			{"calendar", "a_prosecutor", "/calendar", 200, []string{"节假日日历", "2025年"}},
			{"audit", "a_auditadmin", "/audit", 200, []string{"case.intake", "case.assign", "case.event", "user.login"}},
			{"audit", "a_auditadmin", "/audit?action=case.&from=2000-01-01&to=2099-12-31", 200, []string{"case.intake"}},
			{"error", "a_case_manager", "/cases/999999", http.StatusNotFound, []string{"对象不存在或无权访问", "返回首页"}},
			{"error", "a_prosecutor", "/admin/users", http.StatusForbidden, []string{"没有执行此操作的权限"}},
			{"audit", "a_auditadmin", "/audit?from=2026-02-30", http.StatusUnprocessableEntity, []string{"起始日期：不是有效日期", `id="from" name="from" value="2026-02-30" class="invalid"`}},
			{"cases", "a_case_manager", "/cases?from=2026-13-01", http.StatusUnprocessableEntity, []string{"受理日期起：不是有效日期"}},
			{"home", "a_case_manager", "/", 200, []string{"流程监控", "未办结问题", "逾期未复", `href="/monitor/findings"`}},
			{"home", "a_prosecutor", "/", 200, []string{"流程监控", "待书面回复"}},
			{"monitor_findings", "a_case_manager", "/monitor/findings", 200, []string{"流程监控问题清单", "问题清单", "日巡查记录", "月台账", "季度分析",
				"未在受理后三日内告知诉讼权利", "卷宗未按期移送案件管理部门", "人工登记", "待书面回复", "未整改办结", "登记发现的问题", "测某7盗窃案"}},
			{"monitor_findings", "a_case_manager", "/monitor/findings?status=awaiting_reply&area=files_out", 200, []string{"卷宗移送", "2026-03-26前回复"}},
			{"monitor_findings", "a_prosecutor", "/monitor/findings", 200, []string{"卷宗未按期移送案件管理部门", "测某7盗窃案"}},
			{"monitor_findings", "up_upper_supervisor", "/monitor/findings?severity=minor", 200, []string{"甲县人民检察院", "情节轻微"}},
			{"monitor_findings", "a_case_manager", "/monitor/findings?from=2026-02-30&area=weather", http.StatusUnprocessableEntity,
				[]string{"发现日期起：不是有效日期", "监控范围：取值无效", `id="from" name="from" value="2026-02-30" class="invalid"`}},
			{"monitor_finding", "a_case_manager", "/monitor/findings/" + itoa(mon.prosecNtc), 200, []string{"卷宗移送", "测某7盗窃案",
				mon.number, "2026-03-26", "三日内移送卷宗并书面说明原因", "下载通知书（Word）", "发现问题", "发出案件流程监控通知书",
				"报告检察长", "移送检务督察", "核查办结", "第六百六十五条", "尚未回复", "人工登记（测case_manager）"}},
			{"monitor_finding", "a_prosecutor", "/monitor/findings/" + itoa(mon.prosecNtc), 200, []string{mon.number, "提交书面回复", "核查情况和整改措施"}},
			{"monitor_finding", "a_chief", "/monitor/findings/" + itoa(mon.closed), 200, []string{"未整改办结", "案件已移送他院，无法整改", "未整改，办结"}},
			{"monitor_report", "a_case_manager", "/monitor/patrol", 200, []string{"甲县人民检察院日巡查记录（2026年3月16日）", "系统巡查", "当日发现的问题",
				"当日处置", "记录今日巡查情况", "导出Excel", "已当面提示承办人补录"}},
			{"monitor_report", "a_case_manager", "/monitor/patrol?day=2026-02-30", http.StatusUnprocessableEntity, []string{"日期：不是有效日期",
				`id="day" name="day" value="2026-02-30" class="invalid"`}},
			{"monitor_report", "a_case_manager", "/monitor/ledger?month=2026-03", 200, []string{"甲县人民检察院流程监控月台账（2026年3月）", "问题台账",
				"按监控范围", "按办案部门", "按承办人", "反复出现的问题", "合计", "诉讼参与人权利保障"}},
			{"monitor_report", "a_dept_head", "/monitor/ledger?month=2026-13", http.StatusUnprocessableEntity, []string{"月份：格式应为YYYY-MM"}},
			{"monitor_report", "up_upper_supervisor", "/monitor/quarterly?quarter=2026-Q1", 200, []string{"测试市人民检察院及下级院流程监控季度分析（2026年第1季度）",
				"2025年第4季度", "总体情况", "整改率", "按情节", "按处置阶段", "按办理状态"}},
			{"monitor_report", "a_chief", "/monitor/quarterly?quarter=2026-Q5", http.StatusUnprocessableEntity, []string{"季度：格式应为YYYY-Qn"}},
			{"monitor_report", "a_case_manager", "/monitor/patrol?day=2026-03-15", 200, []string{"后一日 →", "← 前一日", "巡查记录"}},
			{"monitor_report", "a_chief", "/monitor/ledger?month=2026-02", 200, []string{"甲县人民检察院流程监控月台账（2026年2月）", "下月 →", "← 上月"}},
			{"monitor_report", "a_case_manager", "/monitor/quarterly?quarter=2025-q4", 200, []string{"2025年第4季度", "2025年第3季度", "下季度 →", "← 上季度"}},
		}
		// What a page must not show.
		lacks := map[string][]string{
			"/ as a_case_manager":       {"我承办的案件"}, // case managers do not handle cases
			"/ as a_sysadmin":           {"测某1盗窃案"}, // admins see no case content
			"/audit as a_auditadmin":    {"测某1盗窃案"},
			"/calendar as a_prosecutor": {"导入年度节假日"}, // importing is the system administrator's
		}
		// Patrol notes go to today's log; the form and the reports are the office's.
		lacks["/monitor/patrol?day=2026-03-15 as a_case_manager"] = []string{"记录今日巡查情况"}
		lacks["/monitor/findings as a_prosecutor"] = []string{"登记发现的问题", "日巡查记录"}
		covered := map[string]bool{}
		clients := map[string]*client{"": e.client(t)}
		dump := os.Getenv("ANGUAN_PAGES_DUMP")
		run := func(visits []visit, offset int) {
			for i, v := range visits {
				i += offset
				c, ok := clients[v.user]
				if !ok {
					c = e.login(t, v.user)
					clients[v.user] = c
				}
				r := c.get(v.path)
				what := v.page + " " + v.path + " as " + v.user
				if r.status != v.status {
					t.Errorf("%s: status %d, want %d", what, r.status, v.status)
				}
				if ct := r.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
					t.Errorf("%s: content type %q", what, ct)
				}
				noMissingKeys(t, what, r)
				for _, w := range v.want {
					if !strings.Contains(r.body, w) {
						t.Errorf("%s: page lacks %q", what, w)
					}
				}
				for _, w := range lacks[v.path+" as "+v.user] {
					if strings.Contains(r.body, w) {
						t.Errorf("%s: page shows %q", what, w)
					}
				}
				if dump != "" {
					_ = os.WriteFile(filepath.Join(dump, v.page+"-"+itoa(int64(i))+".html"), []byte(r.body), 0o644)
				}
				covered[v.page] = true
			}
		}
		run(visits, 0)
		// Case quality closes cases of its own, which the counts above
		// would see: its pages are visited after them.
		ev := seedEvaluation(t, e)
		evVisits := evaluationVisits(t, e, ev)
		run(evVisits, len(visits))
		// Business-data supervision imports cards of its own.
		dVisits := dataVisits(t, e, seedData(t, e))
		run(dVisits, len(visits)+len(evVisits))
		// Analysis reads what the others wrote.
		sVisits := statsVisits(t, e)
		run(sVisits, len(visits)+len(evVisits)+len(dVisits))
		// Paired assistance writes pairings of its own.
		run(aidVisits(t, seedAid(t, e)), len(visits)+len(evVisits)+len(dVisits)+len(sVisits))
		for _, p := range e.h.Pages() {
			if !covered[p] {
				t.Errorf("page %q is not rendered by this test: add a visit", p)
			}
		}
		if len(covered) != len(e.h.Pages()) {
			pages := e.h.Pages()
			slices.Sort(pages)
			t.Errorf("visits name pages that do not exist; pages are %v", pages)
		}
	})
}
