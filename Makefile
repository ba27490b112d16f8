# The two commands of the README: `make run` and `make test`.
.PHONY: run test generate validate build

run:
	go run ./cmd/stakegraph serve

# Starts a real Neo4j 5.26 (unless NEO4J_URI is set), then vets, checks the
# generated code and runs every test against it.
test:
	scripts/test.sh

generate:
	go tool gqlgen generate

validate:
	go run ./cmd/stakegraph validate

build:
	go build -o bin/stakegraph ./cmd/stakegraph
