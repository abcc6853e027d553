package seed

import "github.com/anguan/anguan/internal/access"

// The demo organisation of DOMAIN §2: real unit names and codes (8 digits,
// administrative-division prefix), invented people. Kept as data so that
// more of the Kashgar prefecture's county units can be added by a line.

// Department slots: every unit has the same four functional slots, named
// differently by level (base-level units merge departments).
const (
	deptOffice   = iota // 办公室 / 检务综合部: the three administrators
	deptCaseMgmt        // 案件管理: case managers, upper supervisors, aid partners
	deptCriminal        // 刑事检察: arrest and prosecution review
	deptCivil           // 民事行政公益诉讼
	deptSlots
)

// deptNames gives the department names of a unit level (1 SPP … 4 base):
// the four slots first, then extra departments that exist only as data.
func deptNames(level int) []string {
	switch level {
	case 1:
		return []string{"办公厅", "案件管理办公室", "第一检察厅", "第六检察厅", "第七检察厅", "第八检察厅"}
	case 2:
		return []string{"办公室", "案件管理办公室", "第一检察部", "第六检察部", "第七检察部", "第八检察部"}
	case 3:
		return []string{"办公室", "案件管理部", "第一检察部", "第五检察部", "第二检察部", "第八检察部"}
	default:
		// 综合业务部 = 案管 + 研究室 + 控申; 第二检察部 = 民事 + 行政 + 公益诉讼.
		return []string{"检务综合部", "综合业务部", "第一检察部", "第二检察部"}
	}
}

// unitSpec is one demo procuratorate.
type unitSpec struct {
	Key    string // username prefix, ASCII
	Code   string
	Name   string
	Short  string // 代字
	Parent string // parent Key; "" for the root
	Level  int
	Region string // "xj" Xinjiang, "hn" Hunan, "" national

	// Case-receiving units only.
	CaseWeight  int    // share of the synthetic cases
	Police      string // 公安机关
	PoliceShort string // its document 代字
	Supervision string // 监察委员会
	SupShort    string
	Court       string // the court at the same level
	CourtCode   string // the court's code in case numbers, e.g. 新3101
	Place       string // place name used in PIL case names
}

// spp is the root unit's code: its presence means the demo is seeded.
const sppCode = "10000000"

func demoUnits() []unitSpec {
	return []unitSpec{
		{Key: "spp", Code: sppCode, Name: "最高人民检察院", Short: "高检", Level: 1},
		{Key: "xinjiang", Code: "65000000", Name: "新疆维吾尔自治区人民检察院", Short: "新", Parent: "spp", Level: 2,
			Region: "xj"},
		{Key: "kashi_branch", Code: "65310000", Name: "新疆维吾尔自治区人民检察院喀什分院", Short: "喀分", Parent: "xinjiang",
			Level: 3, Region: "xj", CaseWeight: 10,
			Police: "喀什地区公安局", PoliceShort: "喀地公", Supervision: "喀什地区监察委员会", SupShort: "喀地监",
			Court: "喀什地区中级人民法院", CourtCode: "新31", Place: "喀什地区"},
		{Key: "kashi", Code: "65310100", Name: "喀什市人民检察院", Short: "喀市", Parent: "kashi_branch", Level: 4,
			Region: "xj", CaseWeight: 30,
			Police: "喀什市公安局", PoliceShort: "喀市公", Supervision: "喀什市监察委员会", SupShort: "喀市监",
			Court: "喀什市人民法院", CourtCode: "新3101", Place: "喀什市"},
		{Key: "shule", Code: "65312200", Name: "疏勒县人民检察院", Short: "疏勒", Parent: "kashi_branch", Level: 4,
			Region: "xj", CaseWeight: 22,
			Police: "疏勒县公安局", PoliceShort: "疏公", Supervision: "疏勒县监察委员会", SupShort: "疏监",
			Court: "疏勒县人民法院", CourtCode: "新3122", Place: "疏勒县"},
		{Key: "hunan", Code: "43000000", Name: "湖南省人民检察院", Short: "湘", Parent: "spp", Level: 2,
			Region: "hn"},
		{Key: "zhuzhou", Code: "43020000", Name: "株洲市人民检察院", Short: "株", Parent: "hunan", Level: 3,
			Region: "hn", CaseWeight: 10,
			Police: "株洲市公安局", PoliceShort: "株公", Supervision: "株洲市监察委员会", SupShort: "株监",
			Court: "株洲市中级人民法院", CourtCode: "湘02", Place: "株洲市"},
		{Key: "shifeng", Code: "43020400", Name: "株洲市石峰区人民检察院", Short: "株石", Parent: "zhuzhou", Level: 4,
			Region: "hn", CaseWeight: 28,
			Police: "株洲市公安局石峰分局", PoliceShort: "株公石", Supervision: "株洲市石峰区监察委员会", SupShort: "石监",
			Court: "株洲市石峰区人民法院", CourtCode: "湘0204", Place: "石峰区"},
	}
}

// Account kinds, which decide pool membership.
const (
	kindOther    = iota
	kindCaseMgr  // creates and assigns the unit's cases
	kindChief    // designates major cases
	kindHandler  // a prosecutor in a rotation pool
	kindHeadPros // a department head who also handles cases (1/2 weight)
)

// accountSpec is one demo account of a unit.
type accountSpec struct {
	Suffix string // username = unit key + "_" + suffix
	Roles  []access.Role
	Dept   int // slot, or -1 for none (院领导)
	Kind   int
}

// demoAccounts lists a unit's accounts: one for every role, and enough
// prosecutors and assistants in case-receiving units for rotation to have
// members. The three administrators are separate accounts (三员分立).
func demoAccounts(u unitSpec) []accountSpec {
	r := func(rs ...access.Role) []access.Role { return rs }
	out := []accountSpec{
		{"sysadmin", r(access.SysAdmin), deptOffice, kindOther},
		{"secadmin", r(access.SecAdmin), deptOffice, kindOther},
		{"auditadmin", r(access.AuditAdmin), deptOffice, kindOther},
		{"chief", r(access.Chief), -1, kindChief},
		{"cm", r(access.CaseManager), deptCaseMgmt, kindCaseMgr},
	}
	crimPros, civilPros, crimAsst, civilAsst := 1, 0, 1, 0
	switch {
	case u.CaseWeight > 0 && u.Level == 4:
		// Base level: two case managers (the aid programme's goal of at
		// least two staff who can run case management).
		out = append(out, accountSpec{"cm2", r(access.CaseManager), deptCaseMgmt, kindOther})
		crimPros, civilPros, crimAsst, civilAsst = 5, 2, 2, 1
	case u.CaseWeight > 0:
		crimPros, civilPros, crimAsst, civilAsst = 4, 2, 1, 1
	}
	out = append(out, accountSpec{"head1", r(access.DeptHead, access.Prosecutor), deptCriminal, kindHeadPros})
	if civilPros > 0 {
		out = append(out, accountSpec{"head2", r(access.DeptHead, access.Prosecutor), deptCivil, kindHeadPros})
	}
	n := 0
	for i := 0; i < crimPros+civilPros; i++ {
		n++
		d := deptCriminal
		if i >= crimPros {
			d = deptCivil
		}
		out = append(out, accountSpec{"pros" + itoa(n), r(access.Prosecutor), d, kindHandler})
	}
	for i := 0; i < crimAsst+civilAsst; i++ {
		d := deptCriminal
		if i >= crimAsst {
			d = deptCivil
		}
		out = append(out, accountSpec{"asst" + itoa(i+1), r(access.Assistant), d, kindOther})
	}
	// Every role in every unit, so each can be tried anywhere in the demo:
	// at a base-level unit the upper supervisor reads that unit alone, and
	// the aid partner account stands for the pairing's liaison on either
	// side (it sees no case content).
	out = append(out, accountSpec{"upper", r(access.UpperSupervisor), deptCaseMgmt, kindOther},
		accountSpec{"aid", r(access.AidPartner), deptCaseMgmt, kindOther})
	return out
}

// Category mix of the synthetic cases (per mille).
var categoryMix = []weighted[string]{
	{"arrest_review", 400}, {"prosecution_review", 450}, {"civil_supervision", 50},
	{"admin_supervision", 30}, {"pil_admin", 45}, {"pil_civil", 25},
}

// poolDept says which department slot handles a category.
func poolDept(category string) int {
	if category == "arrest_review" || category == "prosecution_review" {
		return deptCriminal
	}
	return deptCivil
}
