# Multi-stage build: compile in the Go image, ship a static binary on a
# an empty base. The dataset is embedded, so the image needs nothing else.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/stakegraph ./cmd/stakegraph && mkdir /out/data

FROM scratch
COPY --from=build /out/stakegraph /stakegraph
# The embedded store's state (scratch has no home directory to default to);
# mount a volume here to keep edits across containers.
COPY --from=build --chown=65532:65532 /out/data /data
ENV STAKEGRAPH_STATE_DIR=/data
VOLUME /data
EXPOSE 8080
# An unprivileged numeric user: scratch has no /etc/passwd.
USER 65532:65532
ENTRYPOINT ["/stakegraph"]
CMD ["serve", "--addr", ":8080"]
