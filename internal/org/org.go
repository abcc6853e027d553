// Package org is the organisation (组织机构): procuratorates as units (院) in
// a four-level hierarchy (最高检 → 省级院 → 市级院/分院 → 基层院), each with an
// 8-digit unit code and a short name (代字) used in case and document
// numbers; departments (部门) as data; people (人员) with their accounts and
// roles (角色).
package org

import (
	"time"

	"github.com/anguan/anguan/internal/access"
)

// Unit is a procuratorate.
type Unit struct {
	ID        int64
	ParentID  int64
	Level     int // 1 SPP, 2 provincial, 3 prefecture/city, 4 county/district
	Code      string
	Name      string
	ShortName string
	Path      string
	CreatedAt time.Time
}

// Department is a department of a unit; names are free data because
// base-level units merge departments differently.
type Department struct {
	ID     int64
	UnitID int64
	Name   string
}

// User is a person with an account.
type User struct {
	ID             int64
	Username       string
	Name           string
	UnitID         int64
	UnitCode       string
	UnitName       string
	UnitPath       string
	DepartmentID   int64
	DepartmentName string
	Roles          []access.Role
	Disabled       bool
	LockedUntil    time.Time
	CreatedAt      time.Time
}

// Principal turns a user into the policy's view of them.
func (u User) Principal() access.Principal {
	return access.Principal{UserID: u.ID, Username: u.Username, Name: u.Name, UnitID: u.UnitID,
		UnitPath: u.UnitPath, DepartmentID: u.DepartmentID, Roles: u.Roles}
}
