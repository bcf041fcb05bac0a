# latchkey as a container: a small, reviewable recipe (it is not built in CI).
#   docker build -t latchkey .
#   docker run -p 8000:8000 -v latchkey-data:/data -e LATCHKEY_ISSUER=https://id.example.com latchkey
# With PostgreSQL / Redis, set LATCHKEY_DATABASE_URL, LATCHKEY_REDIS_URL and LATCHKEY_SECRET.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Native modules (better-sqlite3, argon2) install prebuilt binaries; the toolchain is the fallback.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY bin ./bin
# npm ci runs the build (prepare); then the dev dependencies go.
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    LATCHKEY_DATABASE_URL=sqlite:/data/latchkey.db
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
RUN mkdir /data && chown node:node /data
# The image's unprivileged user; the SQLite file and the generated secret live in /data.
USER node
VOLUME /data
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:8000/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "bin/latchkey.js", "start"]
