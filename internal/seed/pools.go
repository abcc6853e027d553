package seed

import (
	"github.com/anguan/anguan/internal/assign"
	"github.com/anguan/anguan/internal/casefile"
)

// pool is a rotation pool being simulated: the generator assigns cases in
// received order with assign.Next, exactly as live rotation would, and the
// final rotation state is what gets stored, so live assignment continues
// where the demo history ends.
type pool struct {
	Index    int // position in the pool list; its id is known only after writing
	UnitID   int64
	DeptID   int64
	Category string
	Members  []assign.Member
	State    assign.State
	// Absences are registered absences (不在位) by member position, as
	// date ranges: the member is passed over and owed nothing.
	Absences map[int][2]string
}

// members gives the members as of a date, with absences in force.
func (p *pool) members(date string) []assign.Member {
	ms := make([]assign.Member, len(p.Members))
	copy(ms, p.Members)
	for i, span := range p.Absences {
		ms[i].Absent = date >= span[0] && date <= span[1]
	}
	return ms
}

// final is the pool as stored: members in order, state after the history.
func (p *pool) final() casefile.Pool {
	out := casefile.Pool{UnitID: p.UnitID, DepartmentID: p.DeptID, Category: p.Category, Round: max(p.State.Round, 1),
		Cursor: p.State.Cursor}
	for i, m := range p.Members {
		out.Members = append(out.Members, casefile.PoolMember{Member: m, Position: i})
	}
	return out
}

// caseUnit is a case-receiving unit with what the generator needs.
type caseUnit struct {
	*unit
	CaseMgr staff
	Chief   staff
	Pools   map[string]*pool // by category
}

// planPools builds the pools of every case-receiving unit: per category, in
// the department that handles it, the department's prosecutors at full
// load (1/1) and its head, who also handles cases, at half load (1/2).
func planPools(units []*unit) ([]*pool, []*caseUnit) {
	var pools []*pool
	var cus []*caseUnit
	for _, u := range units {
		if u.Spec.CaseWeight == 0 {
			continue
		}
		cu := &caseUnit{unit: u, Pools: map[string]*pool{}}
		for _, s := range u.Staff {
			switch s.Spec.Kind {
			case kindCaseMgr:
				cu.CaseMgr = s
			case kindChief:
				cu.Chief = s
			}
		}
		for _, cat := range categoryMix {
			slot := poolDept(cat.V)
			p := &pool{Index: len(pools), UnitID: u.ID, DeptID: u.Depts[slot], Category: cat.V, Absences: map[int][2]string{}}
			var head *staff
			for i, s := range u.Staff {
				if s.Spec.Dept != slot {
					continue
				}
				switch s.Spec.Kind {
				case kindHandler:
					p.Members = append(p.Members, assign.Member{UserID: s.ID, Name: s.Name, M: 1, N: 1})
				case kindHeadPros:
					head = &u.Staff[i]
				}
			}
			if head != nil {
				p.Members = append(p.Members, assign.Member{UserID: head.ID, Name: head.Name, M: 1, N: 2})
			}
			pools = append(pools, p)
			cu.Pools[cat.V] = p
		}
		cus = append(cus, cu)
	}
	return pools, cus
}
