# payments.aws_platform: the two commands that matter are `make deploy` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

ROOT      := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

# Two tested toolchains. CORE=2.21, the default: ansible 14.5 (ansible-core 2.21, amazon.aws 11.4,
# community.aws 11.2) on Python 3.12 or 3.13, in .venv, from requirements.txt. CORE=2.19: ansible
# 12.3 (ansible-core 2.19, amazon.aws 10.1.2, community.aws 10.0.0) on Python 3.11, in
# .venv-core2.19, from requirements-core2.19.txt. tools/find-python picks the interpreter
# (PYTHON=/path/to/python to choose one) and says what to install when there is none.
CORE ?= 2.21
ifeq ($(CORE),2.21)
VENV      := $(ROOT)/.venv
REQUIREMENTS := requirements.txt
PYTHON_VERSIONS := 3.12 3.13
else ifeq ($(CORE),2.19)
VENV      := $(ROOT)/.venv-core2.19
REQUIREMENTS := requirements-core2.19.txt
PYTHON_VERSIONS := 3.11
else
$(error CORE=$(CORE) is not a tested toolchain: use CORE=2.21 (the default) or CORE=2.19)
endif
BIN       := $(VENV)/bin
ENV       ?= local
EMULATOR  := $(BIN)/python $(ROOT)/tests/emulator/ctl.py
STAMP     := $(VENV)/.installed
COLL_LINK := $(ROOT)/.collections/ansible_collections/payments/aws_platform

export ANSIBLE_HOME := $(ROOT)/.ansible
export ANSIBLE_CONFIG := $(ROOT)/ansible.cfg
export PATH := $(BIN):$(PATH)
ifdef PROFILE
export ANSIBLE_CALLBACKS_ENABLED := ansible.posix.profile_tasks
endif

# Mitogen's strategy keeps one Python interpreter alive per host instead of starting one for every
# task: the full-stack no-op re-run of inventories/local took 78 s with it against 162 s plain here
# (CPU 65 s against 151 s). On by default for make's targets; MITOGEN=0 runs plain Ansible, which
# ansible-playbook run directly, AWX and ansible-runner jobs (test_awx, the shared local stack) use.
# Mitogen needs an absolute local temp dir (a relative one fails once its workers change directory).
# The values are expanded when a recipe runs, so a fresh clone finds the strategy once setup ran.
MITOGEN ?= 1
ifeq ($(MITOGEN),1)
export ANSIBLE_STRATEGY_PLUGINS = $(firstword $(wildcard $(VENV)/lib/python3*/site-packages/ansible_mitogen/plugins/strategy))
export ANSIBLE_STRATEGY = $(if $(ANSIBLE_STRATEGY_PLUGINS),mitogen_linear,linear)
export ANSIBLE_LOCAL_TEMP = $(ROOT)/.ansible/tmp
export ANSIBLE_REMOTE_TEMP = $(ROOT)/.ansible/tmp
endif

.PHONY: help setup emulator deploy plan test test-core test-matrix core-lint-then-molecule molecule-default lint lint-then-molecule sanity unit integration molecule test-faults test-latency benchmark stop clean build ee

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

$(STAMP): $(REQUIREMENTS)
	test -x $(BIN)/python || { py=$$($(ROOT)/tools/find-python $(PYTHON_VERSIONS)) && $$py -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(REQUIREMENTS)
	$(BIN)/python $(ROOT)/tools/awx_collection.py
	touch $(STAMP)

$(COLL_LINK):
	mkdir -p $(dir $(COLL_LINK))
	ln -sfn ../../.. $(COLL_LINK)

setup: $(STAMP) $(COLL_LINK) ## Create the toolchain's venv (CORE=2.21: .venv), install its pinned requirements, put the collection on a path

emulator: setup ## Start the local AWS stand-in (or reuse the running one)
	@$(EMULATOR) start >/dev/null

deploy: emulator ## Set up, start the stand-in and deploy inventories/$(ENV) (default: local)
	$(BIN)/ansible-playbook site.yml -i inventories/$(ENV)

plan: emulator ## Print what a converge of inventories/$(ENV) would change (check mode + diff, no mutating call)
	ANSIBLE_STDOUT_CALLBACK=payments.aws_platform.plan $(BIN)/ansible-playbook playbooks/plan.yml -i inventories/$(ENV) --check --diff

# Every test module and molecule scenario has a private stand-in on its own port. The two long
# streams, integration and molecule (its scenarios one after another), start at once; lint, sanity
# and unit share the third slot. With two slots molecule waited for lint, sanity and unit, and ran
# alone on a half-idle machine for its last ten minutes. --output-sync prints each target's output
# whole, in turn.
TEST_JOBS ?= 3

test: setup ## Set up, then run integration tests, lint then molecule, sanity and unit tests (TEST_JOBS=3 at a time)
	$(MAKE) -j$(TEST_JOBS) --output-sync=target integration lint-then-molecule sanity unit

# ansible-lint and molecule both install the collection into .ansible/collections (ansible-compat,
# `ansible-galaxy collection install --force`). Started together, one removes the copy the other is
# reading ("Directory not empty: 'roles'", "could not resolve the module_defaults group"): one after
# the other in one slot.
lint-then-molecule: setup
	$(MAKE) lint
	$(MAKE) molecule

lint: setup ## ansible-lint (production profile)
	$(BIN)/ansible-lint

sanity: setup ## ansible-test sanity from a temporary ansible_collections/payments/aws_platform path
	SANITY_VENV=$(VENV) $(ROOT)/tools/sanity.sh

unit: setup ## pytest unit tests, printing branch coverage of plugins/
	$(BIN)/pytest tests/unit --cov=$(COLL_LINK)/plugins --cov-branch --cov-report=term-missing:skip-covered --cov-fail-under=90

# Three workers on two cores: the throttled fault chain spends most of its time in retry back-off,
# and each test module (the three sharing one deployed stack together) is one work unit (conftest.py).
INTEGRATION_WORKERS ?= 3

# test_latency.py (a whole first deploy on the stand-in's AWS clock, about 4.5 min of a worker) runs
# in make test-latency, not here: CI's 90 minutes are a hard wall and make test is close to it.
integration: setup ## Playbook-level tests against private stand-ins (INTEGRATION_WORKERS=3 in parallel)
	$(BIN)/pytest tests/integration -n $(INTEGRATION_WORKERS) --dist loadscope --durations=15 --ignore=tests/integration/test_latency.py

molecule: setup ## molecule test (every scenario), each against its own stand-in
	$(BIN)/molecule test --all

molecule-default: setup
	$(BIN)/molecule test -s default

# One toolchain's leg of the matrix: lint then the default molecule scenario in one slot (both
# install the collection into .ansible/collections), sanity and unit in the other.
test-core: setup ## On CORE's toolchain: lint, sanity, unit and the default molecule scenario
	$(MAKE) -j2 --output-sync=target core-lint-then-molecule sanity unit

core-lint-then-molecule: setup
	$(MAKE) lint
	$(MAKE) molecule-default

# Both toolchains, one after the other. CI runs `make test` (everything, on the default 2.21,
# which includes its leg of the matrix) and then `make CORE=2.19 test-core`, the other leg.
test-matrix: ## lint, sanity, unit and the default molecule scenario on ansible-core 2.21, then on 2.19
	$(MAKE) CORE=2.21 test-core
	$(MAKE) CORE=2.19 test-core

# make test kills a chain of converges at two representative tasks, all under 20 % throttling;
# this runs the whole chain of ten kill points and prints the figures.
FAULT_KILL_POINTS_ALL ?= 20,30,37,45,55,65,73,85,100,115

test-latency: setup ## A first deploy on the stand-in's AWS clock (latency mode, fast-forward): waits on real states, overlap
	$(BIN)/pytest tests/integration/test_latency.py

test-faults: setup ## Kill-and-resume at ten tasks in turn (20 % of calls throttled); prints kill points survived and duplicates
	FAULT_KILL_POINTS=$(FAULT_KILL_POINTS_ALL) $(BIN)/pytest tests/integration/test_faults.py

# benchmarks/real_aws_model measures this tree beside the last commit before the slow resources overlapped.
BENCHMARK_BEFORE ?= 5afa4a5
benchmark: setup ## Print converge, preflight, multi-environment and real-AWS-model timings
	$(ROOT)/benchmarks/converge
	$(ROOT)/benchmarks/preflight
	$(ROOT)/benchmarks/multi_env
	$(ROOT)/benchmarks/real_aws_model --before $(BENCHMARK_BEFORE)

# The collection's version is written once, in galaxy.yml; the tarball, the EE's tag and AWX's
# image (playbooks/awx/vars/main.yml) derive from it.
VERSION   = $(shell sed -n 's/^version: *//p' $(ROOT)/galaxy.yml)
EE_IMAGE ?= registry.example.com/payments/aws-platform-ee

BUILD    ?= $(ROOT)/build

build: setup ## Build the collection tarball (build/payments-aws_platform-VERSION.tar.gz, and a copy without the version for the EE)
	rm -f $(BUILD)/payments-aws_platform-*.tar.gz
	$(BIN)/ansible-galaxy collection build --force --output-path $(BUILD) $(ROOT)
	cp $(BUILD)/payments-aws_platform-$(VERSION).tar.gz $(BUILD)/payments-aws_platform.tar.gz

ee: build ## Build the AWX execution environment, tagged EE_IMAGE:VERSION (with no working podman/docker: its build context, build/ee)
	@cd $(ROOT) && runtime=$$(for r in podman docker; do $$r info >/dev/null 2>&1 && { echo $$r; break; }; done); \
	if [[ -n $$runtime ]]; then \
	  $(BIN)/ansible-builder build --container-runtime $$runtime -f execution-environment.yml -c build/ee -t $(EE_IMAGE):$(VERSION); \
	else \
	  $(BIN)/ansible-builder create -f execution-environment.yml -c build/ee --output-filename Containerfile && \
	  echo "No working podman or docker here: wrote the build context build/ee. Where one runs: podman build -t $(EE_IMAGE):$(VERSION) build/ee"; \
	fi

stop: ## Stop the local AWS stand-in
	@test -x $(BIN)/python && $(EMULATOR) stop || true

clean: stop ## Stop the stand-in and remove the venv, caches and outputs
	rm -rf $(ROOT)/.venv $(ROOT)/.venv-core2.19 $(ROOT)/.collections $(ROOT)/.ansible $(ROOT)/.emulator $(ROOT)/.cache $(ROOT)/outputs $(ROOT)/build $(ROOT)/tests/output
