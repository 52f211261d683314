# syntax=docker/dockerfile:1
#
# The one image recipe for every CRM process: the domain services and the
# gateway. Build context: the repository root.
#
#   docker build -f docker/service.Dockerfile --build-arg SERVICE=contacts -t crm/contacts .
#   docker build -f docker/service.Dockerfile --build-arg SERVICE=gateway --build-arg SERVICE_DIR=gateway \
#     --build-arg WEB_CLIENT=web -t crm/gateway .
#
# WEB_CLIENT=web puts the web client's build (web/build.mjs run with the esbuild
# of web/package-lock.json in a Node stage: web/dist/) into the image at
# /opt/crm/web, where CRM_GATEWAY_WEB_DIR points: the gateway's image only.
# Other images skip those stages, so their build context needs no web/ and
# their build no Node.
#
# There is no copy per service: every image, the Tiltfile's included, is built
# from this file with build arguments. The image runs `python -m crm_<SERVICE>`;
# the chart runs `python -m crm_<SERVICE>.migrate` in it for migrations.
# COMMIT (e.g. --build-arg COMMIT=$(git rev-parse --short HEAD)) becomes
# CRM_BUILD_COMMIT, the commit label of the crm_build_info metric.

ARG PYTHON_IMAGE=python:3.11-slim
ARG NODE_IMAGE=node:20-slim
ARG SERVICE
ARG SERVICE_DIR=services/${SERVICE}
ARG WEB_CLIENT=none

FROM ${PYTHON_IMAGE} AS build
ARG SERVICE
ARG SERVICE_DIR
RUN test -n "${SERVICE}" || { echo "build argument SERVICE is required" >&2; exit 1; }
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY libs/crm_proto libs/crm_proto
COPY libs/crm_core libs/crm_core
COPY ${SERVICE_DIR} ${SERVICE_DIR}
# Regular (non-editable) installs of the local packages and their runtime
# dependencies only: no extras, no dev tools, no pip cache.
RUN pip install ./libs/crm_proto ./libs/crm_core "./${SERVICE_DIR}" \
 && python -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('crm_${SERVICE}') is None)"

# The web client's build, or nothing: BuildKit builds only the stages WEB_CLIENT names.
FROM ${NODE_IMAGE} AS web-build
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY web/ ./
RUN node build.mjs

FROM scratch AS web-client-none
FROM scratch AS web-client-web
COPY --from=web-build /web/dist/ /
FROM web-client-${WEB_CLIENT} AS web-client

FROM ${PYTHON_IMAGE} AS runtime
ARG SERVICE
ARG COMMIT=unknown
RUN groupadd --system --gid 10001 crm \
 && useradd --system --uid 10001 --gid crm --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin crm
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    CRM_SERVICE_MODULE=crm_${SERVICE} \
    CRM_GATEWAY_WEB_DIR=/opt/crm/web \
    CRM_BUILD_COMMIT=${COMMIT}
COPY --from=web-client / /opt/crm/web/
WORKDIR /app
# Numeric user, so Kubernetes can verify runAsNonRoot; the root filesystem
# can be read-only (bytecode is compiled at install, /tmp is a volume).
USER 10001:10001
# exec: python is PID 1 and gets SIGTERM itself, to report NOT_SERVING and drain.
CMD ["sh", "-c", "exec python -m \"$CRM_SERVICE_MODULE\""]
