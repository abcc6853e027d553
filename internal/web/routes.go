package web

import (
	"net/http"
	"slices"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/org"
)

// handlerFunc is a page handler for a signed-in user; it returns an error
// that fail maps to a page.
type handlerFunc func(w http.ResponseWriter, r *http.Request, u org.User) error

// Route is one page route with the roles that may use it (nil: any
// signed-in user). Object-level checks (unit, handler, sealed) are made by
// the domain services; this is the coarse gate, listed in one place.
type Route struct {
	Pattern string
	Public  bool
	Roles   []access.Role
	handle  handlerFunc
}

// caseReaders may open case pages; the service narrows to their scope.
var caseReaders = []access.Role{access.CaseManager, access.Prosecutor, access.Assistant, access.DeptHead,
	access.Chief, access.UpperSupervisor}

func roles(r ...access.Role) []access.Role { return r }

// Routes lists every page route (the route × role matrix test walks it).
func (h *Handler) Routes() []Route {
	return []Route{
		{Pattern: "GET /login", Public: true, handle: h.loginPage},
		{Pattern: "POST /login", Public: true, handle: h.login},
		{Pattern: "POST /logout", handle: h.logout},
		{Pattern: "GET /{$}", handle: h.home},
		{Pattern: "GET /cases", Roles: caseReaders, handle: h.caseList},
		{Pattern: "GET /cases/new", Roles: roles(access.CaseManager), handle: h.intakeForm},
		{Pattern: "GET /cases/new/party", Roles: roles(access.CaseManager), handle: h.partyRow},
		{Pattern: "POST /cases", Roles: roles(access.CaseManager), handle: h.intake},
		{Pattern: "GET /cases/{id}", Roles: caseReaders, handle: h.caseDetail},
		{Pattern: "POST /cases/{id}/intake", Roles: roles(access.CaseManager), handle: h.resolveIntake},
		{Pattern: "POST /cases/{id}/events", Roles: roles(access.Prosecutor, access.Assistant), handle: h.addEvent},
		{Pattern: "POST /cases/{id}/assign", Roles: roles(access.CaseManager), handle: h.assign},
		{Pattern: "POST /cases/{id}/designate", Roles: roles(access.CaseManager, access.Chief), handle: h.designate},
		{Pattern: "GET /pools", Roles: roles(access.CaseManager, access.DeptHead, access.Chief), handle: h.pools},
		{Pattern: "POST /pools", Roles: roles(access.CaseManager), handle: h.createPool},
		{Pattern: "POST /pools/{id}/members", Roles: roles(access.CaseManager), handle: h.putMember},
		{Pattern: "GET /workload", Roles: roles(access.CaseManager, access.DeptHead, access.Chief), handle: h.workload},
		{Pattern: "GET /admin/units", Roles: roles(access.SysAdmin), handle: h.units},
		{Pattern: "POST /admin/units", Roles: roles(access.SysAdmin), handle: h.createUnit},
		{Pattern: "POST /admin/units/{id}/departments", Roles: roles(access.SysAdmin), handle: h.createDepartment},
		{Pattern: "GET /admin/users", Roles: roles(access.SecAdmin), handle: h.users},
		{Pattern: "POST /admin/users", Roles: roles(access.SecAdmin), handle: h.createUser},
		{Pattern: "POST /admin/users/{id}/roles", Roles: roles(access.SecAdmin), handle: h.setRoles},
		{Pattern: "POST /admin/users/{id}/password", Roles: roles(access.SecAdmin), handle: h.resetPassword},
		{Pattern: "POST /admin/users/{id}/disabled", Roles: roles(access.SecAdmin), handle: h.setDisabled},
		{Pattern: "GET /account/password", handle: h.passwordPage},
		{Pattern: "GET /deadlines/calc", handle: h.calculator},
		{Pattern: "GET /board", Roles: caseReaders, handle: h.board},
		{Pattern: "GET /calendar", handle: h.calendarPage},
		{Pattern: "POST /calendar", Roles: roles(access.SysAdmin), handle: h.calendarImport},
		{Pattern: "POST /account/password", handle: h.changePassword},
		{Pattern: "GET /admin/roles", Roles: roles(access.SysAdmin, access.SecAdmin), handle: h.rolesPage},
		{Pattern: "GET /audit", Roles: roles(access.AuditAdmin), handle: h.auditPage},
		{Pattern: "GET /monitor/findings", Roles: monitorReaders, handle: h.findingList},
		{Pattern: "POST /monitor/findings", Roles: roles(access.CaseManager), handle: h.createFinding},
		{Pattern: "GET /monitor/findings/{id}", Roles: monitorReaders, handle: h.findingDetail},
		{Pattern: "POST /monitor/findings/{id}/actions", Roles: monitorActors, handle: h.findingAction},
		{Pattern: "GET /monitor/findings/{id}/notice.docx", Roles: monitorReaders, handle: h.noticeDocx},
		{Pattern: "GET /monitor/patrol", Roles: reportReaders, handle: h.patrolPage},
		{Pattern: "POST /monitor/patrol", Roles: roles(access.CaseManager), handle: h.addPatrolNote},
		{Pattern: "GET /monitor/patrol/export.xlsx", Roles: reportReaders, handle: h.patrolExport},
		{Pattern: "GET /monitor/ledger", Roles: reportReaders, handle: h.ledgerPage},
		{Pattern: "GET /monitor/ledger/export.xlsx", Roles: reportReaders, handle: h.ledgerExport},
		{Pattern: "GET /monitor/quarterly", Roles: reportReaders, handle: h.quarterlyPage},
		{Pattern: "GET /monitor/quarterly/export.xlsx", Roles: reportReaders, handle: h.quarterlyExport},
		{Pattern: "GET /quality", Roles: qualityUsers, handle: h.qualityHome},
		{Pattern: "GET /quality/selfchecks", Roles: caseReaders, handle: h.selfCheckList},
		{Pattern: "GET /quality/selfchecks/{id}", Roles: caseReaders, handle: h.selfCheckDetail},
		{Pattern: "POST /quality/selfchecks/{id}/actions", Roles: checkActors, handle: h.selfCheckAction},
		{Pattern: "GET /quality/templates", Roles: qualityUsers, handle: h.templateList},
		{Pattern: "POST /quality/templates", Roles: templateManagers, handle: h.templateImport},
		{Pattern: "GET /quality/templates/{id}", Roles: qualityUsers, handle: h.templateDetail},
		{Pattern: "GET /quality/templates/{id}/export.json", Roles: qualityUsers, handle: h.templateExport},
		{Pattern: "GET /quality/templates/{id}/edit", Roles: templateManagers, handle: h.templateEdit},
		{Pattern: "POST /quality/templates/{id}", Roles: templateManagers, handle: h.templateSave},
		{Pattern: "GET /quality/activities", Roles: activityReaders, handle: h.activityList},
		{Pattern: "GET /quality/activities/new", Roles: roles(access.CaseManager), handle: h.activityNew},
		{Pattern: "POST /quality/activities", Roles: roles(access.CaseManager), handle: h.activityCreate},
		{Pattern: "GET /quality/activities/{id}", Roles: activityReaders, handle: h.activityDetail},
		{Pattern: "POST /quality/activities/{id}/actions", Roles: activityActors, handle: h.activityAction},
		{Pattern: "GET /quality/activities/{id}/report.docx", Roles: activityReaders, handle: h.activityReport},
		{Pattern: "GET /quality/records", Roles: qualityRoles, handle: h.recordList},
		{Pattern: "GET /quality/records/{id}", Roles: qualityRoles, handle: h.recordDetail},
		{Pattern: "POST /quality/records/{id}/actions", Roles: recordActors, handle: h.recordAction},
		{Pattern: "GET /quality/records/{id}/report.docx", Roles: qualityRoles, handle: h.recordReport},
		{Pattern: "GET /quality/stats", Roles: statsReaders, handle: h.qualityStats},
		{Pattern: "GET /quality/stats/export.xlsx", Roles: statsReaders, handle: h.qualityStatsExport},
		{Pattern: "GET /quality/people/{id}", Roles: caseReaders, handle: h.personQuality},
		{Pattern: "GET /data", Roles: dataReaders, handle: h.dataHome},
		{Pattern: "POST /data/scan", Roles: roles(access.CaseManager), handle: h.dataScan},
		{Pattern: "GET /data/problems", Roles: dataReaders, handle: h.problemList},
		{Pattern: "GET /data/problems.xlsx", Roles: dataReaders, handle: h.problemExport},
		{Pattern: "GET /data/problems/{id}", Roles: dataReaders, handle: h.problemDetail},
		{Pattern: "POST /data/problems/{id}/waive", Roles: roles(access.CaseManager), handle: h.waiveProblem},
		{Pattern: "GET /data/cards", Roles: dataReaders, handle: h.cardList},
		{Pattern: "GET /data/cards/{id}", Roles: dataReaders, handle: h.cardDetail},
		{Pattern: "POST /data/cards/{id}", Roles: cardEditors, handle: h.saveCard},
		{Pattern: "GET /data/import", Roles: roles(access.CaseManager), handle: h.importPage},
		{Pattern: "POST /data/import", Roles: roles(access.CaseManager), handle: h.importUpload},
		{Pattern: "POST /data/import/{id}/confirm", Roles: roles(access.CaseManager), handle: h.importConfirm},
		{Pattern: "GET /data/template.xlsx", Roles: dataReaders, handle: h.cardTemplate},
		{Pattern: "GET /data/rules", handle: h.ruleList},
		{Pattern: "GET /data/rules/new", Roles: roles(access.SysAdmin), handle: h.ruleNew},
		{Pattern: "POST /data/rules", Roles: roles(access.SysAdmin), handle: h.ruleCreate},
		{Pattern: "GET /data/rules/{id}", handle: h.ruleDetail},
		{Pattern: "POST /data/rules/{id}", Roles: roles(access.SysAdmin), handle: h.ruleSave},
		{Pattern: "GET /data/reports", Roles: reportReaders, handle: h.dataReports},
		{Pattern: "GET /data/reports/notification.xlsx", Roles: reportReaders, handle: h.notificationExport},
		{Pattern: "POST /data/reports/publish", Roles: roles(access.CaseManager), handle: h.publishNotification},
		{Pattern: "GET /stats", Roles: analysisReaders, handle: h.statsDashboard},
		{Pattern: "GET /stats/export.xlsx", Roles: analysisReaders, handle: h.statsExport},
		{Pattern: "GET /stats/report.docx", Roles: analysisReaders, handle: h.statsReport},
		{Pattern: "GET /stats/compare", Roles: analysisReaders, handle: h.statsCompare},
		{Pattern: "GET /stats/compare/export.xlsx", Roles: analysisReaders, handle: h.compareExport},
		{Pattern: "GET /stats/drill", Roles: analysisCaseReaders, handle: h.statsDrill},
		{Pattern: "GET /stats/drill/export.xlsx", Roles: analysisCaseReaders, handle: h.drillExport},
		{Pattern: "GET /stats/case-management", Roles: analysisCaseReaders, handle: h.caseMgmt},
		{Pattern: "GET /stats/case-management/export.xlsx", Roles: analysisCaseReaders, handle: h.caseMgmtExport},
		{Pattern: "GET /aid", handle: h.aidList},
		{Pattern: "GET /aid/pairings/new", Roles: roles(access.SysAdmin), handle: h.aidNew},
		{Pattern: "POST /aid/pairings", Roles: roles(access.SysAdmin), handle: h.aidCreate},
		{Pattern: "GET /aid/pairings/{id}", handle: h.aidDetail},
		{Pattern: "GET /aid/pairings/{id}/edit", Roles: roles(access.SysAdmin), handle: h.aidEdit},
		{Pattern: "POST /aid/pairings/{id}", Roles: roles(access.SysAdmin), handle: h.aidSave},
		{Pattern: "GET /aid/pairings/{id}/activities", handle: h.aidActivities},
		{Pattern: "POST /aid/pairings/{id}/activities", Roles: aidWriters, handle: h.aidAddActivity},
		{Pattern: "POST /aid/followups/{id}", Roles: aidWriters, handle: h.aidSetFollowUp},
		{Pattern: "GET /aid/pairings/{id}/ledger", handle: h.aidLedger},
		{Pattern: "POST /aid/pairings/{id}/ledger", Roles: aidWriters, handle: h.aidAddEntry},
		{Pattern: "GET /aid/pairings/{id}/ledger/export.xlsx", handle: h.aidLedgerExport},
		{Pattern: "GET /aid/pairings/{id}/ledger/{entry}/attachment", handle: h.aidAttachment},
		{Pattern: "GET /aid/pairings/{id}/talent", handle: h.aidTalent},
		{Pattern: "POST /aid/pairings/{id}/proposals", Roles: roles(access.CaseManager), handle: h.aidPropose},
		{Pattern: "POST /aid/pairings/{id}/evidence", Roles: roles(access.CaseManager), handle: h.aidAddEvidence},
		{Pattern: "POST /aid/pairings/{id}/mentorships", Roles: roles(access.CaseManager), handle: h.aidAddMentorship},
		{Pattern: "POST /aid/pairings/{id}/rules", Roles: roles(access.CaseManager), handle: h.aidRunRules},
		{Pattern: "POST /aid/proposals/{id}", handle: h.aidDecide},
		{Pattern: "GET /aid/pairings/{id}/qa", handle: h.aidQA},
		{Pattern: "POST /aid/pairings/{id}/questions", handle: h.aidAsk},
		{Pattern: "GET /aid/questions/{id}", handle: h.aidQuestion},
		{Pattern: "POST /aid/questions/{id}/answers", handle: h.aidAddPost},
		{Pattern: "GET /aid/pairings/{id}/training", handle: h.aidTraining},
		{Pattern: "POST /aid/pairings/{id}/courses", Roles: aidWriters, handle: h.aidCreateCourse},
		{Pattern: "POST /aid/pairings/{id}/quizzes", Roles: aidWriters, handle: h.aidCreateQuiz},
		{Pattern: "GET /aid/courses/{id}", handle: h.aidCourse},
		{Pattern: "POST /aid/courses/{id}/sessions", Roles: aidWriters, handle: h.aidAddSession},
		{Pattern: "POST /aid/courses/{id}/materials", Roles: aidWriters, handle: h.aidAddMaterial},
		{Pattern: "GET /aid/courses/{id}/materials/{material}", handle: h.aidMaterial},
		{Pattern: "POST /aid/sessions/{id}/attendance", Roles: aidWriters, handle: h.aidMarkAttendance},
		{Pattern: "GET /aid/quizzes/{id}", handle: h.aidQuiz},
		{Pattern: "POST /aid/quizzes/{id}/attempts", handle: h.aidSubmit},
		{Pattern: "GET /aid/attempts/{id}", handle: h.aidAttempt},
		{Pattern: "GET /aid/pairings/{id}/shared", handle: h.aidShared},
		{Pattern: "GET /aid/pairings/{id}/export.xlsx", handle: h.aidExport},
		// Goals (援助目标): the progress page and its report are readable
		// by anyone who may open the pairing; the parameters are the
		// agreement's, changed by whoever may manage the pairing.
		{Pattern: "GET /aid/pairings/{id}/progress", handle: h.aidProgress},
		{Pattern: "POST /aid/pairings/{id}/goals", Roles: roles(access.SysAdmin), handle: h.aidSaveGoals},
		{Pattern: "GET /aid/pairings/{id}/report.docx", handle: h.aidReport},
	}
}

func (h *Handler) routes() {
	for _, rt := range h.Routes() {
		h.mux.Handle(rt.Pattern, h.gate(rt))
	}
}

// gate authenticates (except public routes), checks the route's roles and
// runs the handler, mapping its error to a page.
func (h *Handler) gate(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var u org.User
		if !rt.Public {
			var ok bool
			u, ok = h.authenticate(w, r)
			if !ok {
				return
			}
			if rt.Roles != nil && !slices.ContainsFunc(rt.Roles, u.Principal().Has) {
				h.failForbidden(w, r)
				return
			}
		}
		// Parse the form once, here: a body over the limit or a malformed
		// one is refused as such instead of reading as empty fields.
		if r.Method == http.MethodPost {
			if err := r.ParseForm(); err != nil {
				h.fail(w, r, err)
				return
			}
		}
		if err := rt.handle(w, r, u); err != nil {
			h.fail(w, r, err)
		}
	})
}
