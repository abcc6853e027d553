package org

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
)

// Store is what the organisation service needs from persistence.
type Store interface {
	Units(ctx context.Context) ([]Unit, error)
	Unit(ctx context.Context, id int64) (Unit, error)
	CreateUnit(ctx context.Context, u Unit, a audit.Record) (int64, error)
	Departments(ctx context.Context, unitID int64) ([]Department, error)
	CreateDepartment(ctx context.Context, d Department, a audit.Record) (int64, error)
	Users(ctx context.Context, unitPathPrefix string) ([]User, error)
	User(ctx context.Context, id int64) (User, error)
	CreateUser(ctx context.Context, u User, passwordHash string, a audit.Record) (int64, error)
	SetRoles(ctx context.Context, userID int64, roles []access.Role, a audit.Record) error
	SetPassword(ctx context.Context, userID int64, hash string, a audit.Record) error
	SetDisabled(ctx context.Context, userID int64, disabled bool, a audit.Record) error
	PasswordHash(ctx context.Context, userID int64) (string, error)
}

// PasswordSetter is the part of the account service org needs: policy check,
// hashing and verification, so org never sees how passwords are stored.
type PasswordSetter interface {
	CheckPolicy(password string) error
	Hash(password string) (string, error)
	Verify(encoded, password string) bool
}

// Service manages the organisation.
type Service struct {
	store Store
	pw    PasswordSetter
}

// NewService wires the service.
func NewService(st Store, pw PasswordSetter) *Service { return &Service{store: st, pw: pw} }

// Actor describes who acts, for the audit record.
type Actor struct {
	P         access.Principal
	Client    string
	RequestID string
}

func (a Actor) record(action, objType string, id int64, detail string) audit.Record {
	return audit.Record{Actor: audit.ActorOf(a.P, a.Client, a.RequestID), Action: action, ObjectType: objType,
		ObjectID: strconv.FormatInt(id, 10), Result: audit.ResultOK, Detail: detail}
}

// Units lists every unit (names and codes are not secret).
func (s *Service) Units(ctx context.Context) ([]Unit, error) { return s.store.Units(ctx) }

// Unit returns one unit.
func (s *Service) Unit(ctx context.Context, id int64) (Unit, error) { return s.store.Unit(ctx, id) }

// Departments lists a unit's departments.
func (s *Service) Departments(ctx context.Context, unitID int64) ([]Department, error) {
	return s.store.Departments(ctx, unitID)
}

var unitCodeRE = regexp.MustCompile(`^\d{8}$`)

// CreateUnit adds a unit under a parent. The bootstrap (first unit, no
// parent) is done by the seed and CLI as the system actor.
func (s *Service) CreateUnit(ctx context.Context, a Actor, u Unit) (int64, error) {
	v := &apperr.Validation{}
	u.Code, u.Name, u.ShortName = strings.TrimSpace(u.Code), strings.TrimSpace(u.Name), strings.TrimSpace(u.ShortName)
	if !unitCodeRE.MatchString(u.Code) {
		v.Add("code", "err.unit_code")
	}
	text(v, "name", u.Name, 60)
	text(v, "short_name", u.ShortName, 10)
	var parent Unit
	if u.ParentID != 0 {
		p, err := s.store.Unit(ctx, u.ParentID)
		if err != nil {
			v.Add("parent_id", "err.unknown_value")
		} else {
			parent = p
			u.Level = p.Level + 1
			if u.Level > 4 {
				v.Add("parent_id", "err.unit_too_deep")
			}
		}
	} else if a.P.UserID != 0 {
		v.Add("parent_id", "err.required")
	} else {
		u.Level = 1
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	if a.P.UserID != 0 && !access.CanManageUnits(a.P, parent.Path) {
		return 0, apperr.ErrForbidden
	}
	u.Path = parent.Path // the store appends the new id
	return s.store.CreateUnit(ctx, u, a.record("unit.create", "unit", 0, "code="+u.Code))
}

// CreateDepartment adds a department to a unit.
func (s *Service) CreateDepartment(ctx context.Context, a Actor, d Department) (int64, error) {
	d.Name = strings.TrimSpace(d.Name)
	v := &apperr.Validation{}
	text(v, "name", d.Name, 30)
	u, err := s.store.Unit(ctx, d.UnitID)
	if err != nil {
		v.Add("unit_id", "err.unknown_value")
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	if a.P.UserID != 0 && !access.CanManageUnits(a.P, u.Path) {
		return 0, apperr.ErrForbidden
	}
	return s.store.CreateDepartment(ctx, d, a.record("department.create", "unit", d.UnitID, ""))
}

// Users lists the people the admin manages (own unit and below).
func (s *Service) Users(ctx context.Context, a Actor) ([]User, error) {
	if !a.P.HasAny(access.SecAdmin, access.SysAdmin) {
		return nil, apperr.ErrForbidden
	}
	return s.store.Users(ctx, a.P.UnitPath)
}

// AllUsers lists every account, for the operator CLI.
func (s *Service) AllUsers(ctx context.Context) ([]User, error) { return s.store.Users(ctx, "/") }

// NewUser is a request to create a person with an account.
type NewUser struct {
	Username     string
	Name         string
	UnitID       int64
	DepartmentID int64
	Password     string
	Roles        []access.Role
}

var usernameRE = regexp.MustCompile(`^[a-z][a-z0-9_.-]{2,31}$`)

// CreateUser validates and creates an account. a.P.UserID == 0 means the
// system actor (seed, CLI bootstrap).
func (s *Service) CreateUser(ctx context.Context, a Actor, nu NewUser) (int64, error) {
	v := &apperr.Validation{}
	nu.Username, nu.Name = strings.TrimSpace(nu.Username), strings.TrimSpace(nu.Name)
	if !usernameRE.MatchString(nu.Username) {
		v.Add("username", "err.username")
	}
	text(v, "name", nu.Name, 30)
	u, err := s.store.Unit(ctx, nu.UnitID)
	if err != nil {
		v.Add("unit_id", "err.unknown_value")
	}
	if nu.DepartmentID != 0 && err == nil {
		deps, err := s.store.Departments(ctx, nu.UnitID)
		if err != nil {
			return 0, err
		}
		found := false
		for _, d := range deps {
			found = found || d.ID == nu.DepartmentID
		}
		if !found {
			v.Add("department_id", "err.unknown_value")
		}
	}
	if err := access.CheckRoles(nu.Roles); err != nil {
		v.Add("roles", roleKey(err))
	}
	if err := s.pw.CheckPolicy(nu.Password); err != nil {
		v.Add("password", "err.password_policy")
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	if a.P.UserID != 0 && !access.CanManageUsers(a.P, u.Path) {
		return 0, apperr.ErrForbidden
	}
	hash, err := s.pw.Hash(nu.Password)
	if err != nil {
		return 0, err
	}
	return s.store.CreateUser(ctx, User{Username: nu.Username, Name: nu.Name, UnitID: nu.UnitID,
		DepartmentID: nu.DepartmentID, Roles: nu.Roles}, hash, a.record("user.create", "user", 0, "username="+nu.Username))
}

// SetRoles replaces a user's roles.
func (s *Service) SetRoles(ctx context.Context, a Actor, userID int64, roles []access.Role) error {
	u, err := s.store.User(ctx, userID)
	if err != nil {
		return err
	}
	if !access.CanManageUsers(a.P, u.UnitPath) {
		return apperr.ErrNotFound
	}
	if err := access.CheckRoles(roles); err != nil {
		return apperr.Invalid("roles", roleKey(err))
	}
	return s.store.SetRoles(ctx, userID, roles, a.record("user.roles", "user", userID, joinRoles(roles)))
}

func joinRoles(rs []access.Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

func roleKey(err error) string {
	switch err {
	case access.ErrAdminCombine:
		return "err.roles_admin_combine"
	case access.ErrNoRole:
		return "err.required"
	default:
		return "err.unknown_value"
	}
}

func text(v *apperr.Validation, field, s string, max int) {
	if s == "" {
		v.Add(field, "err.required")
	} else if utf8.RuneCountInString(s) > max {
		v.Add(field, "err.too_long", max)
	}
}

// ResetPassword sets a new password for a user the security administrator
// manages; the lockout is cleared and the user's sessions end.
func (s *Service) ResetPassword(ctx context.Context, a Actor, userID int64, password string) error {
	u, err := s.store.User(ctx, userID)
	if err != nil {
		return err
	}
	if !access.CanManageUsers(a.P, u.UnitPath) {
		return apperr.ErrNotFound
	}
	if err := s.pw.CheckPolicy(password); err != nil {
		return apperr.Invalid("password", "err.password_policy")
	}
	hash, err := s.pw.Hash(password)
	if err != nil {
		return err
	}
	return s.store.SetPassword(ctx, userID, hash, a.record("user.password_reset", "user", userID, ""))
}

// SetDisabled disables or re-enables an account. An administrator cannot
// disable their own account (the unit would be left without one).
func (s *Service) SetDisabled(ctx context.Context, a Actor, userID int64, disabled bool) error {
	u, err := s.store.User(ctx, userID)
	if err != nil {
		return err
	}
	if !access.CanManageUsers(a.P, u.UnitPath) {
		return apperr.ErrNotFound
	}
	if userID == a.P.UserID {
		return apperr.Invalid("disabled", "err.disable_self")
	}
	action := "user.enable"
	if disabled {
		action = "user.disable"
	}
	return s.store.SetDisabled(ctx, userID, disabled, a.record(action, "user", userID, ""))
}

// ChangeOwnPassword lets any signed-in user replace their password after
// proving the old one.
func (s *Service) ChangeOwnPassword(ctx context.Context, a Actor, oldPassword, newPassword, confirm string) error {
	hash, err := s.store.PasswordHash(ctx, a.P.UserID)
	if err != nil {
		return err
	}
	v := &apperr.Validation{}
	if !s.pw.Verify(hash, oldPassword) {
		v.Add("old_password", "err.old_password")
	}
	if err := s.pw.CheckPolicy(newPassword); err != nil {
		v.Add("new_password", "err.password_policy")
	} else if newPassword == oldPassword {
		v.Add("new_password", "err.password_unchanged")
	}
	if confirm != newPassword {
		v.Add("confirm_password", "err.password_confirm")
	}
	if err := v.Err(); err != nil {
		return err
	}
	newHash, err := s.pw.Hash(newPassword)
	if err != nil {
		return err
	}
	return s.store.SetPassword(ctx, a.P.UserID, newHash, a.record("user.password_change", "user", a.P.UserID, ""))
}
