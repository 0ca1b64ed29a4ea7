# The clawgate audit sidecar (`clawgate serve`).
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --bin clawgate

FROM debian:bookworm-slim
COPY --from=build /src/target/release/clawgate /usr/local/bin/clawgate
EXPOSE 9901
ENTRYPOINT []
CMD ["clawgate", "serve", "--listen", "0.0.0.0:9901", "--db", "sqlite:///data/audit.db"]
