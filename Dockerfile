# One image for every Tally process: `tally gateway`, `tally worker <service>`, `tally scheduler`.

# The web app (web/), built into static files the gateway serves at /. relay-compiler reads the
# published contract at ../schema.graphql; the build fails if the first page's JavaScript grows
# past its budget.
FROM node:22-slim AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY schema.graphql /src/schema.graphql
COPY web ./
RUN npm run build

FROM python:3.11-slim AS build
WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY pyproject.toml README.md ./
COPY services ./services
COPY shared ./shared
COPY tally ./tally
COPY plaid_sandbox ./plaid_sandbox
RUN python -m venv /venv && /venv/bin/pip install --upgrade pip && /venv/bin/pip install .

FROM python:3.11-slim
RUN groupadd --gid 10001 tally && useradd --create-home --uid 10001 --gid 10001 tally
COPY --from=build /venv /venv
COPY --from=web /src/web/dist /app/web/dist
ENV PATH=/venv/bin:$PATH PYTHONUNBUFFERED=1 TALLY_VAR_DIR=/var/lib/tally TALLY_WEB_DIR=/app/web/dist
RUN mkdir -p /var/lib/tally && chown 10001:10001 /var/lib/tally
# Numeric, not the name: Kubernetes' runAsNonRoot can only verify a numeric user (the manifests
# in deploy/k8s say the same 10001).
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["tally", "gateway", "--host", "0.0.0.0", "--port", "8000"]
