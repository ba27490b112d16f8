# The two commands of the README: `make run` and `make test`.
.PHONY: run test generate validate build

run:
	go run ./cmd/stakegraph serve

# Vets, lints (staticcheck), runs the race detector where no Neo4j is needed,
# checks the generated code, then starts a real Neo4j 5.26 (unless NEO4J_URI
# is set) and runs every test against it.
test:
	scripts/test.sh

generate:
	go tool gqlgen generate

validate:
	go run ./cmd/stakegraph validate

build:
	go build -o bin/stakegraph ./cmd/stakegraph
