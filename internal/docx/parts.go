package docx

import (
	"encoding/xml"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/ooxml"
)

// The fixed parts of the package: content types, relationships, document
// properties, styles, settings and the font table.

const (
	nsW    = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsWP   = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
	nsA    = "http://schemas.openxmlformats.org/drawingml/2006/main"
	nsPic  = "http://schemas.openxmlformats.org/drawingml/2006/picture"
	nsRels = "http://schemas.openxmlformats.org/package/2006/relationships"
	nsRel  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	ctWML  = "application/vnd.openxmlformats-officedocument.wordprocessingml."
)

// contentTypes lists the parts' types; the png default only when the
// package holds pictures, so documents without any stay as they were.
func contentTypes(png bool) string {
	d := ""
	if png {
		d = `<Default Extension="png" ContentType="image/png"/>`
	}
	return contentTypesHead + d + contentTypesTail
}

const contentTypesHead = xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>`

const contentTypesTail = `<Override PartName="/word/document.xml" ContentType="` + ctWML + `document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="` + ctWML + `styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="` + ctWML + `settings+xml"/>` +
	`<Override PartName="/word/fontTable.xml" ContentType="` + ctWML + `fontTable+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`</Types>`

const rootRels = xml.Header + `<Relationships xmlns="` + nsRels + `">` +
	`<Relationship Id="rId1" Type="` + nsRel + `/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`</Relationships>`

// documentRels relates the document to its styles, settings and font
// table (rId1 to rId3, fixedRels of them), then to each of its images.
func documentRels(images int) string {
	var b strings.Builder
	b.WriteString(xml.Header + `<Relationships xmlns="` + nsRels + `">` +
		`<Relationship Id="rId1" Type="` + nsRel + `/styles" Target="styles.xml"/>` +
		`<Relationship Id="rId2" Type="` + nsRel + `/settings" Target="settings.xml"/>` +
		`<Relationship Id="rId3" Type="` + nsRel + `/fontTable" Target="fontTable.xml"/>`)
	for n := 1; n <= images; n++ {
		b.WriteString(`<Relationship Id="` + imageRelID(n) + `" Type="` + nsRel + `/image" Target="` +
			strings.TrimPrefix(mediaName(n), "word/") + `"/>`)
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}

const fixedRels = 3

// coreProps holds the title; no dates, so the same input gives the same file.
func coreProps(title string) string {
	var b strings.Builder
	b.WriteString(xml.Header + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"` +
		` xmlns:dc="http://purl.org/dc/elements/1.1/">`)
	if title = ooxml.Sanitize(title); title != "" {
		b.WriteString("<dc:title>")
		ooxml.WriteEscaped(&b, title)
		b.WriteString("</dc:title>")
	}
	b.WriteString("</cp:coreProperties>")
	return b.String()
}

// Font names. 仿宋 is the Windows name of FangSong, which WPS and
// LibreOffice on Chinese systems also resolve.
const (
	fontBody  = "仿宋"
	fontTitle = "方正小标宋简体"
)

// Font sizes in half-points: 三号 for body text, 二号 for the title, 四号 in
// tables, where 三号 leaves too few characters per cell.
const (
	sizeBody  = 32
	sizeTitle = 44
	sizeTable = 28
)

// styles sets the body font and size as document defaults (with eastAsia
// set, or Word uses its Latin font for Chinese text) and defines the Title
// and TableText paragraph styles. TableNormal restores Word's usual cell
// margins, which are zero when no default table style exists.
var styles = xml.Header + `<w:styles xmlns:w="` + nsW + `">` +
	`<w:docDefaults><w:rPrDefault><w:rPr>` +
	`<w:rFonts w:ascii="` + fontBody + `" w:eastAsia="` + fontBody + `" w:hAnsi="` + fontBody + `" w:cs="` + fontBody + `"/>` +
	sz(sizeBody) + `<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>` +
	`</w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:jc w:val="both"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:jc w:val="center"/></w:pPr>` +
	`<w:rPr><w:rFonts w:ascii="` + fontTitle + `" w:eastAsia="` + fontTitle + `" w:hAnsi="` + fontTitle + `"/>` +
	sz(sizeTitle) + `</w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:jc w:val="left"/></w:pPr><w:rPr>` + sz(sizeTable) + `</w:rPr></w:style>` +
	`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>` +
	`<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>` +
	`<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
	`</w:styles>`

// sz is the run properties for a font size in half-points; szCs sizes
// complex-script text, which Word otherwise leaves at its default.
func sz(halfPoints int) string {
	v := strconv.Itoa(halfPoints)
	return `<w:sz w:val="` + v + `"/><w:szCs w:val="` + v + `"/>`
}

// settings declares Word 2013+ compatibility; without it Word opens the file
// in 兼容模式 (compatibility mode).
const settings = xml.Header + `<w:settings xmlns:w="` + nsW + `"><w:compat>` +
	`<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>` +
	`</w:compat></w:settings>`

// fontTable gives each font an alternative name and a GB2312 charset (86),
// which is what Word and WPS use to pick a substitute on machines without
// the font: FangSong for 仿宋, 宋体 for 方正小标宋简体.
const fontTable = xml.Header + `<w:fonts xmlns:w="` + nsW + `">` +
	`<w:font w:name="` + fontBody + `"><w:altName w:val="FangSong"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>` +
	`<w:font w:name="` + fontTitle + `"><w:altName w:val="宋体"/><w:charset w:val="86"/><w:family w:val="script"/><w:pitch w:val="variable"/></w:font>` +
	`</w:fonts>`
