# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a check-mode run would change: rows of the `make plan` table (the plan callback).

Pure functions over one task result (what a module returned in check mode with --diff), so that
they are unit-tested without Ansible's executor. A row names the resource, what would change and
before -> after; a change that would be destructive on apply is marked as such:

* a resource that would be removed (``state: absent``);
* deletion protection (or a vault lock, termination protection) turned off;
* a retention, expiration or ``delete_after_days`` shortened, or ``skip_final_snapshot`` turned on;
* a module that says it would replace the resource (``replace``/``replacement`` in its diff).
"""

from __future__ import annotations

import json

# The module argument that names the resource, in the order looked for.
IDENTIFIER_KEYS = (
    "db_cluster_identifier", "cluster_id", "db_instance_identifier", "name", "backup_plan_name", "backup_vault_name",
    "selection_name", "log_group_name", "bucket", "alias", "topic", "cluster", "service", "family", "group_name",
    "replication_instance_identifier", "replication_task_identifier", "endpoint_identifier", "identifier",
    "secret_id", "vpc_id", "cidr", "subnet_id", "arn", "id",
)
PLACEHOLDER = "(known after apply)"
# Keys a module's check-mode diff fills from elsewhere, compared on apply by other means: left out
# of the comparison. amazon.aws.ec2_security_group (10.x) writes, in the "after" side of a rule
# that references a group, that group's name, VPC and description instead of the rule's.
IGNORED_KEYS = {
    "amazon.aws.ec2_security_group": ("user_id_group_pairs.group_name", "user_id_group_pairs.vpc_id",
                                      "user_id_group_pairs.description", "user_id_group_pairs.peering_status"),
}
MAX_VALUE = 60


def resource_name(module_args, task_name):
    """A short name for the resource a task manages: its identifying argument, else the task's name."""
    for key in IDENTIFIER_KEYS:
        value = (module_args or {}).get(key)
        if isinstance(value, (str, int)) and str(value) and str(value) != "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER":
            return str(value)
    return task_name


def short(value):
    """A value as printed in the table: JSON for structures, cut at MAX_VALUE characters."""
    if value is None:
        text = "-"
    elif isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 3] + "..."


def _number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def destructive_reason(key, before, after):
    """Why changing ``key`` from ``before`` to ``after`` would be destructive on apply, or ''."""
    name = key.lower()
    if any(word in name for word in ("deletion_protection", "termination_protection", "vault_lock")) and before and not after:
        return "turns protection off"
    if name in ("skip_final_snapshot",) and after and not before:
        return "no final snapshot"
    if any(word in name for word in ("retention", "expiration", "delete_after", "expire")):
        old, new = _number(before), _number(after)
        if old is not None and new is not None and new < old:
            return "shortens retention"
        if old is not None and after is None:
            return "removes retention"
    if any(word in name for word in ("replace", "replacement")) and after:
        return "replaces the resource"
    return ""


def _flatten(value, prefix=""):
    """{dotted.key: leaf} of nested dicts; lists stay leaves."""
    if isinstance(value, dict) and value:
        flat = {}
        for key, item in value.items():
            flat.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix: value}


def normalized(value, ignored=(), path=""):
    """``value`` with every scalar as a string and lists in a stable order: 443 and "443" compare equal.

    ``ignored`` lists dotted paths (list indexes left out) of keys to drop.
    """
    if isinstance(value, dict):
        return {str(key): normalized(item, ignored, f"{path}.{key}" if path else str(key))
                for key, item in value.items() if (f"{path}.{key}" if path else str(key)) not in ignored}
    if isinstance(value, list):
        return sorted((normalized(item, ignored, path) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    if value is None or isinstance(value, str):
        return value
    return str(value).lower() if isinstance(value, bool) else str(value)


def _list_change(before, after, ignored=()):
    """(removed, added) elements of two lists, compared normalized (``ignored``: paths within an element)."""
    old = [json.dumps(item, sort_keys=True) for item in normalized(before or [], ignored)]
    new = [json.dumps(item, sort_keys=True) for item in normalized(after or [], ignored)]
    removed = [json.loads(item) for item in old if item not in new]
    added = [json.loads(item) for item in new if item not in old]
    return removed, added


def diff_changes(diff, ignored=()):
    """[(key, before, after)] of one module diff (a dict or a list of dicts with before/after).

    A key the ``after`` side leaves out is not a change (check-mode diffs give only what the task
    sets); lists are compared as sets of normalized elements and reported as removed -> added.
    """
    parts = diff if isinstance(diff, list) else [diff]
    changes = []
    for part in parts:
        if not isinstance(part, dict) or ("before" not in part and "after" not in part):
            continue
        before, after = part.get("before"), part.get("after")
        if isinstance(before, dict) or isinstance(after, dict):
            old, new = _flatten(before or {}), _flatten(after or {})
            for key in sorted(new):
                if isinstance(old.get(key), list) or isinstance(new[key], list):
                    removed, added = _list_change(old.get(key), new[key], ignored)
                    if not removed and not added:
                        continue
                    changes.append((key, removed or None, added or None))
                elif normalized(old.get(key)) != normalized(new[key]):
                    changes.append((key, old.get(key), new[key]))
        elif before != after:
            header = part.get("after_header") or part.get("before_header") or "content"
            lines_before = len(str(before or "").splitlines())
            lines_after = len(str(after or "").splitlines())
            changes.append((str(header), f"{lines_before} line(s)", f"{lines_after} line(s)"))
    return changes


def tag_changes(module_args, result):
    """[(tags.<key>, before, after)] from a result without a diff: the task's tags against the resource's."""
    wanted = (module_args or {}).get("tags")
    if not isinstance(wanted, dict):
        return []
    candidates = [result] + [value for value in result.values() if isinstance(value, dict)]
    current = next((item["tags"] for item in candidates if isinstance(item.get("tags"), dict)), None)
    if current is None:
        return []
    name = (module_args or {}).get("name")
    if "Name" not in wanted and name is not None and current.get("Name") == name:
        # Modules such as ec2_vpc_net set the Name tag from O(name) themselves; ansible-core 2.19 hands the callback
        # those edited arguments (the invocation), 2.21 the task's own, without that tag.
        wanted = dict(wanted, Name=name)
    purge = (module_args or {}).get("purge_tags", True)
    keys = sorted(set(wanted) | (set(current) if purge else set()))
    return [(f"tags.{key}", current.get(key), wanted.get(key)) for key in keys
            if str(current.get(key)) != str(wanted.get(key)) and not (key.startswith("aws:"))]


def rows(task_name, module, module_args, result):
    """The plan rows of one changed task result: [{'resource', 'change', 'before', 'after', 'destructive'}]."""
    resource = f"{resource_name(module_args, task_name)} ({module})"
    args = module_args or {}
    if args.get("state") == "absent":
        return [{"resource": resource, "change": "remove", "before": "present", "after": "absent",
                 "destructive": "removes the resource"}]
    changes = diff_changes(result.get("diff"), IGNORED_KEYS.get(module, ())) if result.get("diff") else tag_changes(args, result)
    if not changes:
        return [{"resource": resource, "change": task_name, "before": "-",
                 "after": "(the module reports a change without a diff)", "destructive": ""}]
    found = []
    for key, before, after in changes:
        reason = destructive_reason(key.rsplit(".", 1)[-1], before, after)
        found.append({"resource": resource, "change": key, "before": short(before), "after": short(after), "destructive": reason})
    return found


def table(plan_rows):
    """The plan as text lines: one table, destructive rows marked with '!'."""
    if not plan_rows:
        return ["No changes: the environment matches its inventory."]
    headers = ("", "resource", "what would change", "before -> after")
    body = [("!" if row["destructive"] else "", row["resource"], row["change"],
             f"{row['before']} -> {row['after']}" + (f"  [DESTRUCTIVE: {row['destructive']}]" if row["destructive"] else ""))
            for row in plan_rows]
    widths = [max(len(str(line[col])) for line in [headers, *body]) for col in range(3)]
    lines = ["  ".join(str(cell).ljust(widths[col]) if col < 3 else str(cell) for col, cell in enumerate(line)).rstrip()
             for line in [headers, *body]]
    lines.insert(1, "-" * max(len(line) for line in lines))
    destructive = sum(1 for row in plan_rows if row["destructive"])
    lines.append(f"{len(plan_rows)} change(s), {destructive} destructive on apply.")
    return lines
