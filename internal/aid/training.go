package aid

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
)

// Training (培训): a pairing's courses, each in one competency area with
// its sessions (date, time, on line or off line, place or link), the
// attendance of the pairing's staff at each session, and its materials
// (uploaded files, recognised by content, at most 10 MB). A person who
// attended every session of a course has completed it; the completion is
// recorded as competency evidence of kind training in the course's area,
// in the transaction that marks the attendance completing it.

// Training modes.
const (
	ModeOnline  = "online"  // 线上
	ModeOffline = "offline" // 线下
)

// TrainingModes lists the modes in display order.
func TrainingModes() []string { return []string{ModeOnline, ModeOffline} }

// Limits of training records.
const (
	maxCourseText = 2000
	maxAttendees  = 500
)

// Course is one course of a pairing with its sessions, materials and
// completions.
type Course struct {
	ID          int64        `json:"id"`
	PairingID   int64        `json:"pairing_id"`
	Title       string       `json:"title"`
	Area        string       `json:"area"`
	Description string       `json:"description"`
	Trainer     string       `json:"trainer"`
	Mode        string       `json:"mode"`
	CreatedAt   time.Time    `json:"created_at"`
	Sessions    []Session    `json:"sessions"`
	Materials   []Material   `json:"materials"`
	Completions []Completion `json:"completions"`
}

// Session is one sitting of a course; Attendees are the user ids marked
// present.
type Session struct {
	ID        int64   `json:"id"`
	CourseID  int64   `json:"course_id"`
	OnDate    string  `json:"on_date"`
	StartTime string  `json:"start_time"`
	EndTime   string  `json:"end_time"`
	Mode      string  `json:"mode"`
	Venue     string  `json:"venue"`
	Attendees []int64 `json:"attendees"`
}

// Material is a file of a course.
type Material struct {
	ID       int64      `json:"id"`
	CourseID int64      `json:"course_id"`
	File     Attachment `json:"file"`
}

// Completion records that a person attended every session of a course,
// and the evidence it was recorded as.
type Completion struct {
	CourseID    int64  `json:"course_id"`
	UserID      int64  `json:"user_id"`
	UserName    string `json:"user_name"`
	CompletedOn string `json:"completed_on"`
	EvidenceID  int64  `json:"evidence_id"`
}

// CourseInput is a course as a form or a request gives it.
type CourseInput struct {
	Title       string `json:"title"`
	Area        string `json:"area"`
	Description string `json:"description"`
	Trainer     string `json:"trainer"`
	Mode        string `json:"mode"`
}

// SessionInput is a session as a form or a request gives it; times are
// "HH:MM" in legal time.
type SessionInput struct {
	OnDate    string `json:"on_date"`
	StartTime string `json:"start_time"`
	EndTime   string `json:"end_time"`
	Mode      string `json:"mode"`
	Venue     string `json:"venue"`
}

// CourseStore keeps courses, sessions, attendance and materials.
type CourseStore interface {
	// AidCourses lists a pairing's courses, latest first, with their
	// sessions, materials and completions.
	AidCourses(ctx context.Context, pairingID int64) ([]Course, error)
	// AidCourse loads one course with the same details.
	AidCourse(ctx context.Context, id int64) (Course, error)
	CreateAidCourse(ctx context.Context, c Course, actorID int64, rec audit.Record) (int64, error)
	AddAidSession(ctx context.Context, s Session, rec audit.Record) (int64, error)
	// AidSession loads a session with its attendees.
	AidSession(ctx context.Context, id int64) (Session, error)
	// SetAidAttendance replaces the attendees of a session; then everyone
	// who has attended every session of the course and has no completion
	// yet gets one, with a copy of ev as evidence (UserID filled in), all
	// in one transaction. It returns the users who completed.
	SetAidAttendance(ctx context.Context, sessionID int64, userIDs []int64, actorID int64, ev Evidence, rec audit.Record) ([]int64, error)
	// AddAidMaterial stores a course's file with its audit entry.
	AddAidMaterial(ctx context.Context, pairingID, courseID int64, att Attachment, content []byte, actorID int64, rec audit.Record) (int64, error)
	// AidMaterial loads a course's file with its content.
	AidMaterial(ctx context.Context, courseID, materialID int64) (Attachment, []byte, error)
}

// TrainingStore keeps courses and quizzes.
type TrainingStore interface {
	CourseStore
	QuizStore
}

// Training is the training view of one pairing.
type Training struct {
	Pairing   Pairing
	Framework Framework
	Courses   []Course
	Quizzes   []Quiz
}

// Training opens a pairing's courses and quizzes, audited.
func (s *Service) Training(ctx context.Context, r Request, pairingID int64) (Training, error) {
	pr, err := s.visible(ctx, r, pairingID)
	if err != nil {
		return Training{}, err
	}
	tr := Training{Pairing: pr}
	if tr.Framework, err = s.store.AidFramework(ctx); err != nil {
		return Training{}, err
	}
	if tr.Courses, err = s.store.AidCourses(ctx, pairingID); err != nil {
		return Training{}, err
	}
	if tr.Quizzes, err = s.store.AidQuizzes(ctx, pairingID); err != nil {
		return Training{}, err
	}
	if err := s.audited(ctx, r, "aid.training.view", pairingID, fmt.Sprintf("courses=%d quizzes=%d",
		len(tr.Courses), len(tr.Quizzes))); err != nil {
		return Training{}, err
	}
	return tr, nil
}

// Framework is the competency framework the courses and quizzes name
// their areas from (data, not anyone's records: not audited).
func (s *Service) Framework(ctx context.Context) (Framework, error) { return s.store.AidFramework(ctx) }

// CourseView is one course with its pairing and the staff who may attend.
type CourseView struct {
	Pairing   Pairing
	Framework Framework
	Course    Course
	Staff     []Staff
}

// course loads a course and the pairing r may read it through.
func (s *Service) course(ctx context.Context, r Request, id int64) (Pairing, Course, error) {
	c, err := s.store.AidCourse(ctx, id)
	if err != nil {
		return Pairing{}, Course{}, err
	}
	pr, err := s.visible(ctx, r, c.PairingID)
	if err != nil {
		return Pairing{}, Course{}, err
	}
	return pr, c, nil
}

// Course opens a course with its sessions, attendance and materials,
// audited.
func (s *Service) Course(ctx context.Context, r Request, id int64) (CourseView, error) {
	pr, c, err := s.course(ctx, r, id)
	if err != nil {
		return CourseView{}, err
	}
	v := CourseView{Pairing: pr, Course: c}
	if v.Framework, err = s.store.AidFramework(ctx); err != nil {
		return CourseView{}, err
	}
	if v.Staff, err = s.store.AidStaff(ctx, unitIDs(pr.Units())); err != nil {
		return CourseView{}, err
	}
	if err := s.audited(ctx, r, "aid.course.view", pr.ID, fmt.Sprintf("course=%d", id)); err != nil {
		return CourseView{}, err
	}
	return v, nil
}

func checkMode(v *apperr.Validation, field, mode string) {
	if !slices.Contains(TrainingModes(), mode) {
		add(v, field, "err.aid_mode_invalid")
	}
}

// CreateCourse adds a course to a pairing: its writers (CanWrite) set up
// the training; the area must be one of the competency framework's.
func (s *Service) CreateCourse(ctx context.Context, r Request, pairingID int64, in CourseInput) (int64, error) {
	pr, err := s.visible(ctx, r, pairingID)
	if err != nil {
		return 0, err
	}
	if !CanWrite(r.P, pr) {
		return 0, apperr.ErrForbidden
	}
	fw, err := s.store.AidFramework(ctx)
	if err != nil {
		return 0, err
	}
	c := Course{PairingID: pairingID, Title: strings.TrimSpace(in.Title), Area: in.Area,
		Description: strings.TrimSpace(in.Description), Trainer: strings.TrimSpace(in.Trainer), Mode: in.Mode}
	v := &apperr.Validation{}
	checkText(v, "title", c.Title, maxTitle, true)
	if _, ok := fw.area(c.Area); !ok {
		add(v, "area", "err.aid_area_invalid")
	}
	checkText(v, "trainer", c.Trainer, maxShort, true)
	checkMode(v, "mode", c.Mode)
	checkText(v, "description", c.Description, maxCourseText, false)
	if err := v.Err(); err != nil {
		return 0, err
	}
	return s.store.CreateAidCourse(ctx, c, r.P.UserID, r.record("aid.course.create", objPairing, pairingID,
		fmt.Sprintf("area=%s mode=%s", c.Area, c.Mode)))
}

var clockRE = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// AddSession adds a session to a course: on a date within the pairing's
// period, with a start before its end, and a place (off line) or a link
// or room (on line).
func (s *Service) AddSession(ctx context.Context, r Request, courseID int64, in SessionInput) (int64, error) {
	pr, c, err := s.course(ctx, r, courseID)
	if err != nil {
		return 0, err
	}
	if !CanWrite(r.P, pr) {
		return 0, apperr.ErrForbidden
	}
	ss := Session{CourseID: c.ID, OnDate: in.OnDate, StartTime: in.StartTime, EndTime: in.EndTime, Mode: in.Mode,
		Venue: strings.TrimSpace(in.Venue)}
	v := &apperr.Validation{}
	checkDate(v, "on_date", ss.OnDate, &pr)
	okStart := clockRE.MatchString(ss.StartTime)
	if !okStart {
		add(v, "start_time", "err.aid_time_invalid")
	}
	switch {
	case !clockRE.MatchString(ss.EndTime):
		add(v, "end_time", "err.aid_time_invalid")
	case okStart && ss.EndTime <= ss.StartTime:
		add(v, "end_time", "err.aid_end_before_start_time")
	}
	checkMode(v, "mode", ss.Mode)
	checkText(v, "venue", ss.Venue, maxPlace, true)
	if err := v.Err(); err != nil {
		return 0, err
	}
	return s.store.AddAidSession(ctx, ss, r.record("aid.session.add", objPairing, pr.ID,
		fmt.Sprintf("course=%d on=%s mode=%s", c.ID, ss.OnDate, ss.Mode)))
}

// MarkAttendance records who attended a session (replacing the earlier
// marks): staff of the pairing's units, a session already held. Anyone
// who has now attended every session of the course completes it, and the
// completion is recorded as training evidence in the same transaction.
// It returns how many completed.
func (s *Service) MarkAttendance(ctx context.Context, r Request, sessionID int64, userIDs []int64) (int, error) {
	ss, err := s.store.AidSession(ctx, sessionID)
	if err != nil {
		return 0, err
	}
	pr, c, err := s.course(ctx, r, ss.CourseID)
	if err != nil {
		return 0, err
	}
	if !CanWrite(r.P, pr) {
		return 0, apperr.ErrForbidden
	}
	v := &apperr.Validation{}
	if ss.OnDate > s.Today() {
		add(v, "on_date", "err.aid_session_future", ss.OnDate)
	}
	staff, err := s.store.AidStaff(ctx, unitIDs(pr.Units()))
	if err != nil {
		return 0, err
	}
	var ids []int64
	switch {
	case len(userIDs) == 0:
		add(v, "attendees", "err.aid_attendees_required")
	case len(userIDs) > maxAttendees:
		add(v, "attendees", "err.aid_too_many", maxAttendees)
	}
	for i, id := range userIDs {
		if !slices.ContainsFunc(staff, func(st Staff) bool { return st.ID == id }) {
			add(v, fmt.Sprintf("attendees[%d]", i), "err.aid_staff_unknown")
			continue
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	ev := Evidence{Area: c.Area, Kind: EvidenceTraining, OnDate: ss.OnDate, RecordedBy: r.P.UserID,
		Note: s.t("ui.aid.training.completed_note", c.Title, len(c.Sessions))}
	done, err := s.store.SetAidAttendance(ctx, sessionID, ids, r.P.UserID, ev, r.record("aid.attendance.mark", objPairing,
		pr.ID, fmt.Sprintf("course=%d session=%d present=%d", c.ID, sessionID, len(ids))))
	return len(done), err
}

// AddMaterial uploads a file to a course (a PDF, image, XLSX or DOCX of
// at most 10 MB, recognised by content); a refused file writes nothing.
func (s *Service) AddMaterial(ctx context.Context, r Request, courseID int64, f *Upload) (int64, error) {
	pr, c, err := s.course(ctx, r, courseID)
	if err != nil {
		return 0, err
	}
	if !CanWrite(r.P, pr) {
		return 0, apperr.ErrForbidden
	}
	if f == nil {
		return 0, invalid("material", "err.required")
	}
	att, key := checkUpload(*f)
	switch key {
	case "":
	case "err.aid_file_too_large":
		return 0, invalid("material", key, fmt.Sprintf("%.1f", float64(len(f.Data))/(1<<20)), MaxAttachmentBytes>>20)
	default:
		return 0, invalid("material", key)
	}
	return s.store.AddAidMaterial(ctx, pr.ID, c.ID, att, f.Data, r.P.UserID, r.record("aid.material.add", objPairing, pr.ID,
		fmt.Sprintf("course=%d type=%s size=%d sha256=%s", c.ID, att.ContentType, att.Size, att.SHA256)))
}

// Material opens a course's file, audited.
func (s *Service) Material(ctx context.Context, r Request, courseID, materialID int64) (Attachment, []byte, error) {
	pr, _, err := s.course(ctx, r, courseID)
	if err != nil {
		return Attachment{}, nil, err
	}
	a, data, err := s.store.AidMaterial(ctx, courseID, materialID)
	if err != nil {
		return Attachment{}, nil, err
	}
	if err := s.audited(ctx, r, "aid.material.view", pr.ID, fmt.Sprintf("course=%d material=%d sha256=%s", courseID,
		materialID, a.SHA256)); err != nil {
		return Attachment{}, nil, err
	}
	return a, data, nil
}

// Completed reports whether userID attended every session of the course
// (a course without sessions is completed by nobody).
func (c Course) Completed(userID int64) bool {
	if len(c.Sessions) == 0 {
		return false
	}
	for _, ss := range c.Sessions {
		if !slices.Contains(ss.Attendees, userID) {
			return false
		}
	}
	return true
}
