module github.com/futlint/futlint

go 1.26.0

require (
	github.com/aymanbagabas/go-udiff v0.4.2
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	golang.org/x/tools v0.52.0
	honnef.co/go/tools v0.8.2
)

require golang.org/x/text v0.14.0 // indirect

require (
	github.com/golangci/plugin-module-register v0.1.2
	golang.org/x/exp/typeparams v0.0.0-20231108232855-2478ac86f678 // indirect
	golang.org/x/mod v0.42.0
	golang.org/x/sync v0.24.0 // indirect
)
