package api

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/reqctx"
)

// Paired assistance (对口援助): pairings, their activity log with
// follow-ups, and the fund ledger in integer fen.

// aidWriters pass the coarse gate of the activity, follow-up and ledger
// writes; the aid service decides on the pairing.
var aidWriters = append(aid.WriterRoles(), access.SysAdmin)

func aidRequest(r *http.Request, u org.User) aid.Request {
	return aid.Request{P: u.Principal(), Client: reqctx.Client(r.Context()), RequestID: reqctx.RequestID(r.Context())}
}

type aidUnitJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type aidPairingJSON struct {
	ID          int64         `json:"id"`
	Name        string        `json:"name"`
	AidingUnits []aidUnitJSON `json:"aiding_units"`
	AidedUnits  []aidUnitJSON `json:"aided_units"`
	StartOn     string        `json:"start_on"`
	EndOn       string        `json:"end_on"`
	Agreement   string        `json:"agreement"`
	Contacts    []aid.Contact `json:"contacts"`
	Shares      aid.Shares    `json:"shares"`
}

func aidPairingOf(pr aid.Pairing) aidPairingJSON {
	units := func(us []aid.Unit) []aidUnitJSON {
		out := make([]aidUnitJSON, len(us))
		for i, u := range us {
			out[i] = aidUnitJSON{ID: u.ID, Name: u.Name}
		}
		return out
	}
	out := aidPairingJSON{ID: pr.ID, Name: pr.Name, AidingUnits: units(pr.Aiding), AidedUnits: units(pr.Aided),
		StartOn: pr.StartOn, EndOn: pr.EndOn, Agreement: pr.Agreement, Contacts: pr.Contacts, Shares: pr.Shares}
	if out.Contacts == nil {
		out.Contacts = []aid.Contact{}
	}
	return out
}

// aidPairingRequest is a pairing as the API takes it; shares left out
// are the default (aggregates only).
type aidPairingRequest struct {
	Name      string        `json:"name"`
	AidingIDs []int64       `json:"aiding_unit_ids"`
	AidedIDs  []int64       `json:"aided_unit_ids"`
	StartOn   string        `json:"start_on"`
	EndOn     string        `json:"end_on"`
	Agreement string        `json:"agreement"`
	Contacts  []aid.Contact `json:"contacts"`
	Shares    *aid.Shares   `json:"shares"`
}

func (q aidPairingRequest) input() aid.PairingInput {
	in := aid.PairingInput{Name: q.Name, AidingIDs: q.AidingIDs, AidedIDs: q.AidedIDs, StartOn: q.StartOn, EndOn: q.EndOn,
		Agreement: q.Agreement, Contacts: q.Contacts, Shares: aid.DefaultShares()}
	if q.Shares != nil {
		in.Shares = *q.Shares
	}
	return in
}

func (h *Handler) aidListPairings(w http.ResponseWriter, r *http.Request, u org.User) error {
	prs, err := h.Aid.Pairings(r.Context(), aidRequest(r, u))
	if err != nil {
		return err
	}
	out := list[aidPairingJSON]{Items: []aidPairingJSON{}}
	for _, pr := range prs {
		out.Items = append(out.Items, aidPairingOf(pr))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (h *Handler) aidWritePairing(w http.ResponseWriter, r *http.Request, u org.User, status int, id int64) error {
	pr, err := h.Aid.Pairing(r.Context(), aidRequest(r, u), id)
	if err != nil {
		return err
	}
	writeJSON(w, status, aidPairingOf(pr))
	return nil
}

func (h *Handler) aidCreatePairing(w http.ResponseWriter, r *http.Request, u org.User) error {
	var req aidPairingRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	id, err := h.Aid.CreatePairing(r.Context(), aidRequest(r, u), req.input())
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/aid/pairings/"+strconv.FormatInt(id, 10))
	return h.aidWritePairing(w, r, u, http.StatusCreated, id)
}

func (h *Handler) aidGetPairing(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.aidWritePairing(w, r, u, http.StatusOK, id)
}

func (h *Handler) aidPutPairing(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req aidPairingRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := h.Aid.UpdatePairing(r.Context(), aidRequest(r, u), id, req.input()); err != nil {
		return err
	}
	return h.aidWritePairing(w, r, u, http.StatusOK, id)
}

type aidActivityJSON struct {
	ID           int64          `json:"id"`
	PairingID    int64          `json:"pairing_id"`
	Kind         string         `json:"kind"`
	HeldOn       string         `json:"held_on"`
	Place        string         `json:"place"`
	Participants string         `json:"participants"`
	Agreed       string         `json:"agreed"`
	FollowUps    []aid.FollowUp `json:"follow_ups"`
}

func aidActivityOf(a aid.Activity) aidActivityJSON {
	out := aidActivityJSON{ID: a.ID, PairingID: a.PairingID, Kind: a.Kind, HeldOn: a.HeldOn, Place: a.Place,
		Participants: a.Participants, Agreed: a.Agreed, FollowUps: a.FollowUps}
	if out.FollowUps == nil {
		out.FollowUps = []aid.FollowUp{}
	}
	return out
}

func (h *Handler) aidListActivities(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, as, err := h.Aid.Activities(r.Context(), aidRequest(r, u), id)
	if err != nil {
		return err
	}
	out := list[aidActivityJSON]{Items: []aidActivityJSON{}}
	for _, a := range as {
		out.Items = append(out.Items, aidActivityOf(a))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (h *Handler) aidCreateActivity(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req aid.ActivityInput
	if err := decode(r, &req); err != nil {
		return err
	}
	ar := aidRequest(r, u)
	actID, err := h.Aid.AddActivity(r.Context(), ar, id, req)
	if err != nil {
		return err
	}
	_, as, err := h.Aid.Activities(r.Context(), ar, id)
	if err != nil {
		return err
	}
	for _, a := range as {
		if a.ID == actID {
			writeJSON(w, http.StatusCreated, aidActivityOf(a))
			return nil
		}
	}
	return fmt.Errorf("api: activity %d vanished", actID)
}

type aidFollowUpRequest struct {
	Status string `json:"status"`
}

func (h *Handler) aidSetFollowUp(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req aidFollowUpRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	f, _, err := h.Aid.SetFollowUp(r.Context(), aidRequest(r, u), id, req.Status)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, f)
	return nil
}

type aidEntryJSON struct {
	ID         int64           `json:"id"`
	PairingID  int64           `json:"pairing_id"`
	Kind       string          `json:"kind"`
	EntryOn    string          `json:"entry_on"`
	AmountFen  int64           `json:"amount_fen"`
	Purpose    string          `json:"purpose"`
	BalanceFen int64           `json:"balance_fen"`
	Attachment *aid.Attachment `json:"attachment"`
	CreatedBy  string          `json:"created_by"`
}

type aidLedgerJSON struct {
	Items  []aidEntryJSON `json:"items"`
	Totals aid.Totals     `json:"totals"`
}

func (h *Handler) aidLedger(r *http.Request, u org.User, id int64) (aidLedgerJSON, error) {
	_, es, tot, err := h.Aid.Ledger(r.Context(), aidRequest(r, u), id)
	if err != nil {
		return aidLedgerJSON{}, err
	}
	out := aidLedgerJSON{Items: []aidEntryJSON{}, Totals: tot}
	for _, e := range es {
		out.Items = append(out.Items, aidEntryJSON{ID: e.ID, PairingID: e.PairingID, Kind: e.Kind, EntryOn: e.EntryOn,
			AmountFen: e.AmountFen, Purpose: e.Purpose, BalanceFen: e.BalanceFen, Attachment: e.Attachment, CreatedBy: e.CreatedBy})
	}
	return out, nil
}

func (h *Handler) aidGetLedger(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	out, err := h.aidLedger(r, u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// aidEntryRequest is a fund entry: the amount in integer fen (a fraction
// or a string is refused by type), the attachment as base64.
type aidEntryRequest struct {
	Kind       string             `json:"kind"`
	EntryOn    string             `json:"entry_on"`
	AmountFen  int64              `json:"amount_fen"`
	Purpose    string             `json:"purpose"`
	Attachment *aidAttachmentBody `json:"attachment"`
}

type aidAttachmentBody struct {
	FileName      string `json:"file_name"`
	ContentBase64 string `json:"content_base64"`
}

func (h *Handler) aidAddEntry(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req aidEntryRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	in := aid.EntryInput{Kind: req.Kind, EntryOn: req.EntryOn, AmountFen: req.AmountFen, Purpose: req.Purpose}
	if req.Attachment != nil {
		data, err := base64.StdEncoding.DecodeString(req.Attachment.ContentBase64)
		if err != nil {
			return apperr.Invalid("attachment.content_base64", "err.aid_file_base64")
		}
		in.File = &aid.Upload{Name: req.Attachment.FileName, Data: data}
	}
	entry, err := h.Aid.AddEntry(r.Context(), aidRequest(r, u), id, in)
	if err != nil {
		return err
	}
	out, err := h.aidLedger(r, u, id)
	if err != nil {
		return err
	}
	for _, e := range out.Items {
		if e.ID == entry {
			writeJSON(w, http.StatusCreated, e)
			return nil
		}
	}
	return fmt.Errorf("api: entry %d vanished", entry)
}

func (h *Handler) aidLedgerExport(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	name, body, err := h.Aid.LedgerXLSX(r.Context(), aidRequest(r, u), id)
	if err != nil {
		return err
	}
	return sendDownload(w, body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name,
		fmt.Sprintf("aid-ledger-%d.xlsx", id))
}

func (h *Handler) aidExport(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	name, body, err := h.Aid.PairingXLSX(r.Context(), aidRequest(r, u), id)
	if err != nil {
		return err
	}
	return sendDownload(w, body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name,
		fmt.Sprintf("aid-pairing-%d.xlsx", id))
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
	att, data, err := h.Aid.Attachment(r.Context(), aidRequest(r, u), id, entry)
	if err != nil {
		return err
	}
	return sendDownload(w, data, att.ContentType, att.Name, fmt.Sprintf("attachment-%d", entry))
}

// sendDownload answers with a file, named in UTF-8 with an ASCII fallback.
func sendDownload(w http.ResponseWriter, body []byte, contentType, name, ascii string) error {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii,
		strings.ReplaceAll(url.QueryEscape(name), "+", "%20")))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(body)
	return err
}
