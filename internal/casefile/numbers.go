package casefile

import "fmt"

// Number scopes in the gapless sequence table: one unified sequence per
// unit and year, and one stage sequence per unit, category and year.
const uniformScope = "uniform"

// StageScope is the sequence scope of a category's stage numbers.
func StageScope(category string) string { return "stage:" + category }

// UniformScope is the sequence scope of unified case numbers.
func UniformScope() string { return uniformScope }

// NumberUnit is what numbering needs to know about the receiving unit.
type NumberUnit struct {
	Code      string // 8-digit unit code
	ShortName string // 代字
}

// StageNumber formats a department/stage number per DOMAIN §3:
// {unit short name}{business abbreviation}受[{year}]{unit code}{6-digit sequence}号,
// e.g. 喀市检起诉受[2026]65310100000017号.
func StageNumber(u NumberUnit, abbrev string, year int, seq int64) string {
	return fmt.Sprintf("%s%s受[%d]%s%06d号", u.ShortName, abbrev, year, u.Code, seq)
}

// UniformNumber formats the unified case number: the receiving unit's code,
// the year and a 6-digit sequence over all categories of that unit, so it is
// unique nationally and stays with the case across stages. The national
// system's exact layout is not public (verify); this one keeps its content.
func UniformNumber(u NumberUnit, year int, seq int64) string {
	return fmt.Sprintf("%s%d%06d", u.Code, year, seq)
}
