package xlsx

import (
	"encoding/xml"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/ooxml"
)

// The package-level parts: the content-type map, the relationships that
// tie the workbook to its sheets and styles, and the style sheet.

const (
	nsRels = "http://schemas.openxmlformats.org/package/2006/relationships"
	nsRel  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	relDoc = nsRel + "/officeDocument"
	relWS  = nsRel + "/worksheet"
	relSty = nsRel + "/styles"
	ctMain = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
	ctWS   = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
	ctSty  = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
)

const rootRels = xml.Header + `<Relationships xmlns="` + nsRels + `">` +
	`<Relationship Id="rId1" Type="` + relDoc + `" Target="xl/workbook.xml"/></Relationships>`

func contentTypes(sheets int) string {
	var b strings.Builder
	b.WriteString(xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="` + ctMain + `"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="` + ctSty + `"/>`)
	for i := range sheets {
		b.WriteString(`<Override PartName="/` + sheetPart(i) + `" ContentType="` + ctWS + `"/>`)
	}
	b.WriteString(`</Types>`)
	return b.String()
}

// workbookRels relates sheet i to rId(i+1) and the styles to the next id.
func workbookRels(sheets int) string {
	var b strings.Builder
	b.WriteString(xml.Header + `<Relationships xmlns="` + nsRels + `">`)
	for i := range sheets {
		b.WriteString(`<Relationship Id="rId` + strconv.Itoa(i+1) + `" Type="` + relWS +
			`" Target="worksheets/sheet` + strconv.Itoa(i+1) + `.xml"/>`)
	}
	b.WriteString(`<Relationship Id="rId` + strconv.Itoa(sheets+1) + `" Type="` + relSty + `" Target="styles.xml"/>`)
	b.WriteString(`</Relationships>`)
	return b.String()
}

// workbook lists the sheets and, for those with a header, the defined names
// Excel expects alongside an autofilter (_FilterDatabase) and the header
// rows to repeat on every printed page (Print_Titles).
func workbook(sheets []Sheet) string {
	var b strings.Builder
	b.WriteString(xml.Header + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `">` +
		`<bookViews><workbookView/></bookViews><sheets>`)
	for i, s := range sheets {
		id := strconv.Itoa(i + 1)
		b.WriteString(`<sheet name="`)
		ooxml.WriteEscaped(&b, s.Name)
		b.WriteString(`" sheetId="` + id + `" r:id="rId` + id + `"/>`)
	}
	b.WriteString(`</sheets>`)
	names := false
	for i, s := range sheets {
		l := newLayout(s)
		if l.header == 0 {
			continue
		}
		if !names {
			b.WriteString(`<definedNames>`)
			names = true
		}
		// A quoted sheet name is always valid in a formula; quotes inside double.
		sheet := "'" + strings.ReplaceAll(s.Name, "'", "''") + "'!"
		header := strconv.Itoa(l.header)
		filter := "$A$" + header + ":$" + colName(l.cols-1) + "$" + strconv.Itoa(l.rows)
		b.WriteString(`<definedName name="_xlnm._FilterDatabase" localSheetId="` + strconv.Itoa(i) + `" hidden="1">`)
		ooxml.WriteEscaped(&b, sheet+filter)
		b.WriteString(`</definedName><definedName name="_xlnm.Print_Titles" localSheetId="` + strconv.Itoa(i) + `">`)
		ooxml.WriteEscaped(&b, sheet+"$1:$"+header)
		b.WriteString(`</definedName>`)
	}
	if names {
		b.WriteString(`</definedNames>`)
	}
	b.WriteString(`</workbook>`)
	return b.String()
}

// styles holds the cell formats indexed by the style* constants. Excel
// requires the two leading fills (none, gray125) even when unused. 宋体 is the
// default font every Chinese Windows, WPS and LibreOffice install resolves.
const styles = xml.Header + `<styleSheet xmlns="` + nsMain + `">` +
	`<fonts count="3">` +
	`<font><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font>` +
	`<font><b/><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font>` +
	`<font><b/><sz val="14"/><name val="宋体"/><family val="3"/><charset val="134"/></font>` +
	`</fonts>` +
	`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
	`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="4">` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
	`<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>` +
	`</cellXfs>` +
	`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
	`</styleSheet>`
