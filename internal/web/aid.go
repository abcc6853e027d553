package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/org"
)

// Paired assistance (对口援助): the pairings a user may read, each with its
// terms, its activity log and its fund ledger.

const aidNav = "/aid"

// aidWriters pass the coarse gate of the activity, follow-up and ledger
// forms; the aid service decides on the pairing.
var aidWriters = append(aid.WriterRoles(), access.SysAdmin)

// aidNavRoles see the section in the navigation bar (anyone of a paired
// unit may open it by address; these are the roles that work with it).
var aidNavRoles = append(aid.WriterRoles(), access.SysAdmin, access.UpperSupervisor)

func (h *Handler) aidRequest(r *http.Request, u org.User) aid.Request {
	return aid.Request(h.request(r, u))
}

// AidBase is what every page of one pairing carries: the pairing, its
// tabs and what the user may do with it.
type AidBase struct {
	Base
	Tabs        []NavItem
	Pairing     aid.Pairing
	AidingNames string
	AidedNames  string
	CanManage   bool
	CanWrite    bool
}

func (h *Handler) aidBase(r *http.Request, u org.User, pr aid.Pairing, title, current string) AidBase {
	req := h.aidRequest(r, u)
	b := AidBase{Base: Base{Title: title, NavPath: aidNav}, Pairing: pr, AidingNames: aid.UnitNames(pr.Aiding),
		AidedNames: aid.UnitNames(pr.Aided), CanManage: h.Aid.CanManagePairing(req, pr), CanWrite: h.Aid.CanWritePairing(req, pr)}
	base := fmt.Sprintf("/aid/pairings/%d", pr.ID)
	for _, tb := range [][2]string{{base, "ui.aid.tab.pairing"}, {base + "/activities", "ui.aid.tab.activities"},
		{base + "/ledger", "ui.aid.tab.ledger"}, {base + "/talent", "ui.aid.tab.talent"}, {base + "/qa", "ui.aid.tab.qa"},
		{base + "/training", "ui.aid.tab.training"},
		{base + "/progress", "ui.aid.tab.progress"}} {
		b.Tabs = append(b.Tabs, NavItem{Href: tb[0], Label: h.T.T(tb[1]), Active: tb[0] == current})
	}
	if pr.Sharing() {
		b.Tabs = append(b.Tabs, NavItem{Href: base + "/shared", Label: h.T.T("ui.aid.tab.shared"), Active: base+"/shared" == current})
	}
	return b
}

// AidListPage lists the pairings the user may read.
type AidListPage struct {
	Base
	Rows      []AidRow
	CanCreate bool
}

// AidRow is one pairing of the list.
type AidRow struct {
	aid.Pairing
	AidingNames, AidedNames string
}

func (h *Handler) aidList(w http.ResponseWriter, r *http.Request, u org.User) error {
	req := h.aidRequest(r, u)
	prs, err := h.Aid.Pairings(r.Context(), req)
	if err != nil {
		return err
	}
	p := &AidListPage{Base: Base{Title: h.T.T("ui.aid.list_title"), NavPath: aidNav}, CanCreate: h.Aid.CanCreate(req)}
	for _, pr := range prs {
		p.Rows = append(p.Rows, AidRow{Pairing: pr, AidingNames: aid.UnitNames(pr.Aiding), AidedNames: aid.UnitNames(pr.Aided)})
	}
	return h.render(w, r, http.StatusOK, "aid_pairings", p)
}

// AidPairingPage is one pairing's terms and goal (1) with its measure.
type AidPairingPage struct {
	AidBase
	Goal AidGoal
}

func (h *Handler) aidDetail(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pr, err := h.Aid.Pairing(r.Context(), h.aidRequest(r, u), id)
	if err != nil {
		return err
	}
	g, err := h.Aid.Goal(r.Context(), h.aidRequest(r, u), id)
	if err != nil {
		return err
	}
	p := &AidPairingPage{AidBase: h.aidBase(r, u, pr, pr.Name, fmt.Sprintf("/aid/pairings/%d", id)), Goal: aidGoalView(g)}
	return h.render(w, r, http.StatusOK, "aid_pairing", p)
}

// AidFormPage sets up or edits a pairing.
type AidFormPage struct {
	Base
	ID    int64 // 0: a new pairing
	F     AidForm
	Units []org.Unit
}

// AidForm is the pairing form's values.
type AidForm struct {
	Name, StartOn, EndOn, Agreement string
	Aiding, Aided                   map[int64]bool
	Contacts                        []aid.Contact
	Shares                          aid.Shares
}

const aidContactRows = 4

func aidFormOf(pr aid.Pairing) AidForm {
	f := AidForm{Name: pr.Name, StartOn: pr.StartOn, EndOn: pr.EndOn, Agreement: pr.Agreement, Shares: pr.Shares,
		Aiding: map[int64]bool{}, Aided: map[int64]bool{}, Contacts: append([]aid.Contact(nil), pr.Contacts...)}
	for _, u := range pr.Aiding {
		f.Aiding[u.ID] = true
	}
	for _, u := range pr.Aided {
		f.Aided[u.ID] = true
	}
	for len(f.Contacts) < aidContactRows {
		f.Contacts = append(f.Contacts, aid.Contact{})
	}
	return f
}

func (h *Handler) showAidForm(w http.ResponseWriter, r *http.Request, id int64, f AidForm, status int, fe fieldErrors) error {
	units, err := h.Org.Units(r.Context())
	if err != nil {
		return err
	}
	title := h.T.T("ui.aid.new_title")
	if id != 0 {
		title = h.T.T("ui.aid.edit_title")
	}
	p := &AidFormPage{Base: Base{Title: title, NavPath: aidNav}, ID: id, F: f, Units: units}
	if !fe.empty() {
		p.invalid(fe, h.T.T("err.validation"))
	}
	return h.render(w, r, status, "aid_pairing_form", p)
}

func (h *Handler) aidNew(w http.ResponseWriter, r *http.Request, u org.User) error {
	today := h.Aid.Today()
	return h.showAidForm(w, r, 0, aidFormOf(aid.Pairing{StartOn: today, Shares: aid.DefaultShares()}), http.StatusOK, fieldErrors{})
}

func (h *Handler) aidEdit(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	req := h.aidRequest(r, u)
	pr, err := h.Aid.Pairing(r.Context(), req, id)
	if err != nil {
		return err
	}
	if !h.Aid.CanManagePairing(req, pr) {
		return apperr.ErrForbidden
	}
	return h.showAidForm(w, r, id, aidFormOf(pr), http.StatusOK, fieldErrors{})
}

// aidInput reads the pairing form.
func aidInput(r *http.Request) aid.PairingInput {
	_ = r.ParseForm()
	ids := func(name string) []int64 {
		var out []int64
		for _, s := range r.PostForm[name] {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				out = append(out, n)
			}
		}
		return out
	}
	in := aid.PairingInput{Name: r.PostFormValue("name"), AidingIDs: ids("aiding_unit_ids"), AidedIDs: ids("aided_unit_ids"),
		StartOn: r.PostFormValue("start_on"), EndOn: r.PostFormValue("end_on"), Agreement: r.PostFormValue("agreement"),
		Shares: aid.Shares{Aggregates: r.PostFormValue("share_aggregates") != "", Reviews: r.PostFormValue("share_reviews") != "",
			Problems: r.PostFormValue("share_problems") != "", QA: r.PostFormValue("share_qa") != ""}}
	for i := range aidContactRows {
		p := fmt.Sprintf("contacts[%d].", i)
		in.Contacts = append(in.Contacts, aid.Contact{Name: r.PostFormValue(p + "contact_name"),
			Unit: r.PostFormValue(p + "contact_unit"), Phone: r.PostFormValue(p + "phone")})
	}
	return in
}

func formOfInput(in aid.PairingInput) AidForm {
	f := AidForm{Name: in.Name, StartOn: in.StartOn, EndOn: in.EndOn, Agreement: in.Agreement, Shares: in.Shares,
		Aiding: map[int64]bool{}, Aided: map[int64]bool{}, Contacts: in.Contacts}
	for _, id := range in.AidingIDs {
		f.Aiding[id] = true
	}
	for _, id := range in.AidedIDs {
		f.Aided[id] = true
	}
	return f
}

// aidFieldErrors renders a validation error; list indexes of the unit
// pickers belong to the picker as a whole.
func (h *Handler) aidFieldErrors(v *apperr.Validation) fieldErrors {
	var fe fieldErrors
	for _, f := range v.Fields {
		field := f.Field
		for _, g := range []string{"aiding_unit_ids", "aided_unit_ids"} {
			if strings.HasPrefix(field, g+"[") {
				field = g
			}
		}
		if field == "amount_fen" {
			field = "amount"
		}
		fe.add(field, h.T.Message(f))
	}
	return fe
}

func (h *Handler) aidCreate(w http.ResponseWriter, r *http.Request, u org.User) error {
	in := aidInput(r)
	id, err := h.Aid.CreatePairing(r.Context(), h.aidRequest(r, u), in)
	if v, ok := apperr.AsValidation(err); ok {
		return h.showAidForm(w, r, 0, formOfInput(in), http.StatusUnprocessableEntity, h.aidFieldErrors(v))
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, fmt.Sprintf("/aid/pairings/%d?flash=flash.saved", id))
}

func (h *Handler) aidSave(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := aidInput(r)
	err = h.Aid.UpdatePairing(r.Context(), h.aidRequest(r, u), id, in)
	if v, ok := apperr.AsValidation(err); ok {
		return h.showAidForm(w, r, id, formOfInput(in), http.StatusUnprocessableEntity, h.aidFieldErrors(v))
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, fmt.Sprintf("/aid/pairings/%d?flash=flash.saved", id))
}

// AidActivitiesPage is the activity log of a pairing with its form.
type AidActivitiesPage struct {
	AidBase
	Activities []aid.Activity
	Kinds      []string
	F          aid.ActivityInput
}

const aidFollowUpRows = 3

func (h *Handler) showActivities(w http.ResponseWriter, r *http.Request, u org.User, id int64, f aid.ActivityInput,
	status int, fe fieldErrors) error {
	pr, as, err := h.Aid.Activities(r.Context(), h.aidRequest(r, u), id)
	if err != nil {
		return err
	}
	for len(f.FollowUps) < aidFollowUpRows {
		f.FollowUps = append(f.FollowUps, aid.FollowUpInput{})
	}
	p := &AidActivitiesPage{AidBase: h.aidBase(r, u, pr, h.T.T("ui.aid.activities_title", pr.Name),
		fmt.Sprintf("/aid/pairings/%d/activities", id)), Activities: as, Kinds: aid.ActivityKinds(), F: f}
	if !fe.empty() {
		p.invalid(fe, h.T.T("err.validation"))
	}
	return h.render(w, r, status, "aid_activities", p)
}

func (h *Handler) aidActivities(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.showActivities(w, r, u, id, aid.ActivityInput{Kind: aid.KindVisit, HeldOn: h.Aid.Today()}, http.StatusOK, fieldErrors{})
}

func (h *Handler) aidAddActivity(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	in := aid.ActivityInput{Kind: r.PostFormValue("kind"), HeldOn: r.PostFormValue("held_on"), Place: r.PostFormValue("place"),
		Participants: r.PostFormValue("participants"), Agreed: r.PostFormValue("agreed")}
	for i := range aidFollowUpRows {
		p := fmt.Sprintf("follow_ups[%d].", i)
		in.FollowUps = append(in.FollowUps, aid.FollowUpInput{Item: r.PostFormValue(p + "item"), Owner: r.PostFormValue(p + "owner"),
			DueOn: r.PostFormValue(p + "due_on")})
	}
	_, err = h.Aid.AddActivity(r.Context(), h.aidRequest(r, u), id, in)
	if v, ok := apperr.AsValidation(err); ok {
		return h.showActivities(w, r, u, id, in, http.StatusUnprocessableEntity, h.aidFieldErrors(v))
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, fmt.Sprintf("/aid/pairings/%d/activities?flash=flash.saved", id))
}

func (h *Handler) aidSetFollowUp(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, pairingID, err := h.Aid.SetFollowUp(r.Context(), h.aidRequest(r, u), id, r.PostFormValue("status"))
	if err != nil {
		return err // a refused status has no control of its own: the error page names it
	}
	return seeOther(w, r, fmt.Sprintf("/aid/pairings/%d/activities?flash=flash.saved", pairingID))
}

// AidLedgerPage is the fund ledger of a pairing with its form.
type AidLedgerPage struct {
	AidBase
	Rows                      []AidLedgerRow
	Allocated, Spent, Balance string
	Kinds                     []string
	F                         AidEntryForm
	MaxMB                     int
}

// AidLedgerRow is one entry with its amounts in yuan.
type AidLedgerRow struct {
	aid.Entry
	In, Out, Balance string
}

// AidEntryForm is the fund entry form's values (the amount as typed, in
// yuan).
type AidEntryForm struct{ Kind, EntryOn, Amount, Purpose string }

func (h *Handler) showLedger(w http.ResponseWriter, r *http.Request, u org.User, id int64, f AidEntryForm, status int,
	fe fieldErrors) error {
	pr, es, tot, err := h.Aid.Ledger(r.Context(), h.aidRequest(r, u), id)
	if err != nil {
		return err
	}
	p := &AidLedgerPage{AidBase: h.aidBase(r, u, pr, h.T.T("ui.aid.ledger_title", pr.Name), fmt.Sprintf("/aid/pairings/%d/ledger", id)),
		Allocated: aid.FormatYuan(tot.AllocatedFen), Spent: aid.FormatYuan(tot.SpentFen), Balance: aid.FormatYuan(tot.BalanceFen),
		Kinds: aid.EntryKinds(), F: f, MaxMB: aid.MaxAttachmentBytes >> 20}
	for _, e := range es {
		row := AidLedgerRow{Entry: e, Balance: aid.FormatYuan(e.BalanceFen)}
		if e.Kind == aid.EntryAllocation {
			row.In = aid.FormatYuan(e.AmountFen)
		} else {
			row.Out = aid.FormatYuan(e.AmountFen)
		}
		p.Rows = append(p.Rows, row)
	}
	if !fe.empty() {
		p.invalid(fe, h.T.T("err.validation"))
	}
	return h.render(w, r, status, "aid_ledger", p)
}

func (h *Handler) aidLedger(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.showLedger(w, r, u, id, AidEntryForm{Kind: aid.EntryExpenditure, EntryOn: h.Aid.Today()}, http.StatusOK, fieldErrors{})
}

// aidEntryForm reads the fund entry form: multipart when it carries a
// file, a plain form otherwise. The file is read up to one byte over the
// limit, so the service can refuse it by its size.
func aidEntryForm(r *http.Request) (AidEntryForm, *aid.Upload, error) {
	var f AidEntryForm
	var up *aid.Upload
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			return f, nil, err
		}
		if file, hdr, err := r.FormFile("attachment"); err == nil {
			defer file.Close()
			data, err := io.ReadAll(io.LimitReader(file, aid.MaxAttachmentBytes+1))
			if err != nil {
				return f, nil, err
			}
			if len(data) > 0 || hdr.Filename != "" {
				up = &aid.Upload{Name: hdr.Filename, Data: data}
			}
		} else if !errors.Is(err, http.ErrMissingFile) {
			return f, nil, err
		}
	} else {
		_ = r.ParseForm()
	}
	f = AidEntryForm{Kind: r.FormValue("kind"), EntryOn: r.FormValue("entry_on"), Amount: r.FormValue("amount"),
		Purpose: r.FormValue("purpose")}
	return f, up, nil
}

func (h *Handler) aidAddEntry(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f, up, err := aidEntryForm(r)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		fe := fieldErrors{}
		fe.add("attachment", h.T.T("aid.field.attachment")+"："+h.T.T("err.aid_body_too_large", aid.MaxAttachmentBytes>>20))
		return h.showLedger(w, r, u, id, f, http.StatusRequestEntityTooLarge, fe)
	}
	if err != nil {
		return err
	}
	// The amount is typed in yuan and converted to fen exactly (no float).
	fen, key := aid.ParseYuan(f.Amount)
	if key != "" {
		v := &apperr.Validation{}
		v.AddLabeled("amount", "aid.field.amount", key)
		return h.showLedger(w, r, u, id, f, http.StatusUnprocessableEntity, h.aidFieldErrors(v))
	}
	_, err = h.Aid.AddEntry(r.Context(), h.aidRequest(r, u), id, aid.EntryInput{Kind: f.Kind, EntryOn: f.EntryOn, AmountFen: fen,
		Purpose: f.Purpose, File: up})
	if v, ok := apperr.AsValidation(err); ok {
		return h.showLedger(w, r, u, id, f, http.StatusUnprocessableEntity, h.aidFieldErrors(v))
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, fmt.Sprintf("/aid/pairings/%d/ledger?flash=flash.saved", id))
}

func (h *Handler) aidLedgerExport(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	name, body, err := h.Aid.LedgerXLSX(r.Context(), h.aidRequest(r, u), id)
	if err != nil {
		return err
	}
	return sendFile(w, body, xlsxType, name, fmt.Sprintf("aid-ledger-%d.xlsx", id))
}

func (h *Handler) aidExport(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	name, body, err := h.Aid.PairingXLSX(r.Context(), h.aidRequest(r, u), id)
	if err != nil {
		return err
	}
	return sendFile(w, body, xlsxType, name, fmt.Sprintf("aid-pairing-%d.xlsx", id))
}

func (h *Handler) aidAttachment(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	entry, err := strconv.ParseInt(r.PathValue("entry"), 10, 64)
	if err != nil || entry <= 0 {
		return apperr.ErrNotFound
	}
	att, data, err := h.Aid.Attachment(r.Context(), h.aidRequest(r, u), id, entry)
	if err != nil {
		return err
	}
	return sendFile(w, data, att.ContentType, att.Name, fmt.Sprintf("attachment-%d", entry))
}
