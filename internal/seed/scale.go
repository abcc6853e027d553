package seed

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/anguan/anguan/internal/access"
)

// Scales of synthetic data (DOMAIN §12). The demo organisation alone is
// one prefecture's worth of case-handling units; a province or the nation
// adds invented units around it, so that a province-year spreads over
// about a hundred units and a nation-year over about three thousand, as
// real ones do (a base-level unit handles hundreds to a few thousand cases
// a year).
const (
	ScaleDemo       = "demo"       // the demo organisation, DefaultCases
	ScaleUnit       = "unit"       // the demo organisation, 5,000 cases
	ScalePrefecture = "prefecture" // the demo organisation, 50,000 cases
	ScaleProvince   = "province"   // + 13 invented prefectures in 新疆, 300,000 cases
	ScaleNation     = "nation"     // + 30 invented provinces, 4,000,000 cases
)

// scaleCases gives each scale its default number of cases, in size order.
var scaleCases = []struct {
	Name  string
	Cases int
}{
	{ScaleDemo, DefaultCases}, {ScaleUnit, 5_000}, {ScalePrefecture, 50_000}, {ScaleProvince, 300_000},
	{ScaleNation, 4_000_000},
}

// ScaleNames gives the known scales in size order.
func ScaleNames() []string {
	out := make([]string, len(scaleCases))
	for i, s := range scaleCases {
		out[i] = s.Name
	}
	return out
}

// ScaleCases gives a scale's default number of cases, and whether the
// scale is known.
func ScaleCases(scale string) (int, bool) {
	for _, s := range scaleCases {
		if s.Name == scale {
			return s.Cases, true
		}
	}
	return 0, false
}

// Shape of the invented units: 13 prefectures of 7 base-level units each
// per province (Xinjiang has 14 prefecture-level divisions and about a
// hundred counties).
const (
	scalePrefectures = 13
	scaleBases       = 7
	scaleProvinces   = 30
)

// scaleUnits gives the invented units a scale adds to the demo
// organisation, parents before children. Names say 演示 and codes start
// with 9, which no real division code does, so they can never be taken
// for real procuratorates.
func scaleUnits(scale string) []unitSpec {
	var out []unitSpec
	addProvince := func(parentKey string, p int, withProvince bool) {
		provKey := parentKey
		if withProvince {
			provKey = fmt.Sprintf("p%02d", p)
			out = append(out, unitSpec{Key: provKey, Code: fmt.Sprintf("9%02d00000", p),
				Name: fmt.Sprintf("演示第%d省人民检察院", p), Short: fmt.Sprintf("演%d", p), Parent: "spp", Level: 2})
		}
		for m := 1; m <= scalePrefectures; m++ {
			key := fmt.Sprintf("p%02dm%02d", p, m)
			place := fmt.Sprintf("演示%d-%d市", p, m)
			out = append(out, scaleCaseUnit(unitSpec{Key: key, Code: fmt.Sprintf("9%02d%02d000", p, m),
				Name: place + "人民检察院", Short: fmt.Sprintf("演%d-%d", p, m), Parent: provKey, Level: 3,
				CaseWeight: 10}, place, fmt.Sprintf("演%d%02d", p, m)))
			for b := 1; b <= scaleBases; b++ {
				place := fmt.Sprintf("演示%d-%d-%d县", p, m, b)
				out = append(out, scaleCaseUnit(unitSpec{Key: fmt.Sprintf("p%02dm%02db%d", p, m, b),
					Code: fmt.Sprintf("9%02d%02d%d00", p, m, b), Name: place + "人民检察院",
					Short: fmt.Sprintf("演%d-%d-%d", p, m, b), Parent: key, Level: 4, CaseWeight: 25}, place,
					fmt.Sprintf("演%d%02d%d", p, m, b)))
			}
		}
	}
	switch scale {
	case ScaleProvince:
		addProvince("xinjiang", 0, false)
	case ScaleNation:
		addProvince("xinjiang", 0, false)
		for p := 1; p <= scaleProvinces; p++ {
			addProvince("", p, true)
		}
	}
	return out
}

// scaleCaseUnit fills in the outside organs of an invented unit.
func scaleCaseUnit(u unitSpec, place, court string) unitSpec {
	u.Police, u.PoliceShort = place+"公安局", u.Short+"公"
	u.Supervision, u.SupShort = place+"监察委员会", u.Short+"监"
	u.Court, u.CourtCode, u.Place = place+"人民法院", court, place
	return u
}

// scaleAccounts lists an invented unit's accounts: what its cases need
// (the case manager who receives and assigns, the chief who designates,
// rotation pools in both case departments) and no more, so that three
// thousand units stay cheap to create.
func scaleAccounts(u unitSpec) []accountSpec {
	r := func(rs ...access.Role) []access.Role { return rs }
	chief := accountSpec{"chief", r(access.Chief), -1, kindChief}
	if u.CaseWeight == 0 { // an invented province: it receives no cases
		return []accountSpec{chief}
	}
	out := []accountSpec{
		chief,
		{"cm", r(access.CaseManager), deptCaseMgmt, kindCaseMgr},
		{"head1", r(access.DeptHead, access.Prosecutor), deptCriminal, kindHeadPros},
		{"head2", r(access.DeptHead, access.Prosecutor), deptCivil, kindHeadPros},
	}
	for i, d := range []int{deptCriminal, deptCriminal, deptCriminal, deptCivil} {
		out = append(out, accountSpec{"pros" + itoa(i+1), r(access.Prosecutor), d, kindHandler})
	}
	return out
}

// BulkUnit is an invented unit for the bulk write (Store.SeedOrg): its
// parent is either an existing unit (ParentID) or an earlier unit of the
// same slice (Parent, an index, or -1).
type BulkUnit struct {
	ParentID int64
	Parent   int
	Level    int
	Code     string
	Name     string
	Short    string
	Depts    []string
	Users    []BulkUser
	// Filled in by the store.
	ID      int64
	DeptIDs []int64
}

// BulkUser is an account of a BulkUnit; Dept indexes the unit's Depts, or
// is -1 for none.
type BulkUser struct {
	Username string
	Name     string
	Dept     int
	Roles    []access.Role
	ID       int64 // filled in by the store
}

// buildScaleOrg creates the invented units of a scale in one bulk write.
// Their accounts log in with the demo password like every demo account.
func buildScaleOrg(ctx context.Context, deps Deps, specs []unitSpec, demo []*unit, r *rand.Rand,
	password string) ([]*unit, error) {
	hash, err := deps.Hash(password)
	if err != nil {
		return nil, fmt.Errorf("seed: hash the password: %w", err)
	}
	existing := map[string]int64{}
	for _, u := range demo {
		existing[u.Spec.Key] = u.ID
	}
	index := map[string]int{}
	names := uniqueNames{}
	bulk := make([]BulkUnit, len(specs))
	accounts := make([][]accountSpec, len(specs))
	for i, spec := range specs {
		b := BulkUnit{Parent: -1, Level: spec.Level, Code: spec.Code, Name: spec.Name, Short: spec.Short,
			Depts: deptNames(spec.Level)}
		if id, ok := existing[spec.Parent]; ok {
			b.ParentID = id
		} else if j, ok := index[spec.Parent]; ok {
			b.Parent = j
		} else {
			return nil, fmt.Errorf("seed: unit %s: unknown parent %q", spec.Key, spec.Parent)
		}
		accounts[i] = scaleAccounts(spec)
		for _, as := range accounts[i] {
			name := names.take(func() string {
				if chance(r, 0.3) {
					return uyName(r, chance(r, 0.4))
				}
				return hanName(r, chance(r, 0.4))
			})
			b.Users = append(b.Users, BulkUser{Username: spec.Key + "_" + as.Suffix, Name: name, Dept: as.Dept,
				Roles: as.Roles})
		}
		index[spec.Key] = i
		bulk[i] = b
	}
	if err := deps.Store.SeedOrg(ctx, bulk, hash, seedRecord("seed.org", "unit",
		fmt.Sprintf("units=%d", len(bulk)))); err != nil {
		return nil, fmt.Errorf("seed: invented units: %w", err)
	}
	out := make([]*unit, len(specs))
	for i, spec := range specs {
		u := &unit{Spec: spec, ID: bulk[i].ID}
		copy(u.Depts[:], bulk[i].DeptIDs)
		for j, as := range accounts[i] {
			u.Staff = append(u.Staff, staff{ID: bulk[i].Users[j].ID, Name: bulk[i].Users[j].Name, Spec: as})
		}
		out[i] = u
	}
	return out, nil
}
