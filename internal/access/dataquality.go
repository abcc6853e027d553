package access

// DataScope is the read scope of case cards and their data-quality
// problems (业务数据监管): the same as MonitorScope. The case management
// office, department heads and the chief read their unit; prosecutors and
// assistants read the cards they handle (they answer for them: "whoever
// enters the data is responsible for it"); upper supervisors read their
// subtree; administrators and aid partners read none.
func DataScope(p Principal) FindingScope { return MonitorScope(p) }

// CanImportCards reports whether p may import case cards into unitID and
// run its scans: data supervision belongs to the case management office of
// the unit (DOMAIN §8).
func CanImportCards(p Principal, unitID int64) bool {
	return p.Has(CaseManager) && p.UnitID == unitID
}

// CanWaiveProblem reports whether p may waive a data-quality problem of
// unitID with a reason: the same office that runs the supervision.
func CanWaiveProblem(p Principal, unitID int64) bool { return CanImportCards(p, unitID) }

// CanEditDataRules reports whether p may change the rule library. The
// rules are system data shared by every unit, so the system administrator
// keeps them, as the holiday calendar.
func CanEditDataRules(p Principal) bool { return p.Has(SysAdmin) }

// CanReadDataRules reports whether p may read the rule library: anyone
// with a role, since the rules are knowledge, not case content.
func CanReadDataRules(p Principal) bool { return len(p.Roles) > 0 }

// CanReadDataReports reports whether p may read accuracy reports, the
// notification list and the look-back of the units in its DataScope.
func CanReadDataReports(p Principal) bool { return CanReadMonitorReports(p) }
