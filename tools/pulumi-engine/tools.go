//go:build tools

// Package tools pins the Pulumi engine sources that build.sh compiles.
// The blank imports (behind the "tools" build tag, so nothing here is ever
// compiled into a program) keep `go mod tidy` from dropping the requirements.
//
// The Node.js language host (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3,
// required by the pseudo-version of the release commit) belongs here too, but
// the Go module proxy this project can reach refuses that module: see README.md.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
	_ "github.com/pulumi/pulumi/sdk/v3/go/common/version"
)
