package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/docx"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/xlsx"
)

// Downloads of the monitoring pages: the notice as a Word document and the
// reports as workbooks. Each goes through the service's export call, which
// audits it as a download.

const (
	docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// sendFile answers with a file to save. name is the file name shown to the
// user (Chinese, RFC 5987 encoded); ascii is the fallback for clients that
// read only the plain parameter. The file names people, so nothing may
// keep a copy on the way.
func sendFile(w http.ResponseWriter, body []byte, contentType, name, ascii string) error {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii,
		strings.ReplaceAll(url.QueryEscape(name), "+", "%20")))
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write(body)
	return err
}

// noticeDocx downloads the 案件流程监控通知书 of a finding, named by its
// document number.
func (h *Handler) noticeDocx(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	doc, err := h.Monitor.ExportNotice(r.Context(), h.monitorRequest(r, u), id, h.T.T)
	if err != nil {
		return err
	}
	// Written to a buffer first: a failure sends an error page, not half
	// a document.
	var buf bytes.Buffer
	if err := docx.Write(&buf, doc.Document()); err != nil {
		return err
	}
	return sendFile(w, buf.Bytes(), docxType, doc.Number+".docx", "notice-"+strconv.FormatInt(id, 10)+".docx")
}

// sendWorkbook downloads a report's tables, one sheet each, every sheet
// headed by the report's title and the table's.
func sendWorkbook(w http.ResponseWriter, p *ReportPage) error {
	sheets := make([]xlsx.Sheet, 0, len(p.Tables))
	for _, tb := range p.Tables {
		s := xlsx.Sheet{Name: tb.Sheet, Title: p.Heading + " · " + tb.Title, Header: tb.Header}
		for _, row := range tb.Rows {
			cells := make([]xlsx.Cell, len(row))
			for i, c := range row {
				cells[i] = xlsx.Str(c.Text)
				if c.Num {
					cells[i] = xlsx.Int(c.N)
				}
			}
			s.Rows = append(s.Rows, cells)
		}
		sheets = append(sheets, s)
	}
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, sheets...); err != nil {
		return err
	}
	return sendFile(w, buf.Bytes(), xlsxType, p.FileName+".xlsx", "monitor-"+p.Kind+"-"+p.Value+".xlsx")
}
