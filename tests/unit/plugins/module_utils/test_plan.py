# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rows of the `make plan` table (module_utils/plan.py), from check-mode results seen on the stand-in."""

from __future__ import annotations

from ansible_collections.payments.aws_platform.plugins.module_utils import plan

SG = "amazon.aws.ec2_security_group"


def test_a_tag_edited_out_of_band_is_one_row_from_a_result_without_diff():
    args = {"name": "payments-local-vpc", "tags": {"CostCenter": "cc-0000", "Name": "payments-local-vpc"}, "purge_tags": True}
    result = {"changed": True, "vpc": {"id": "vpc-1", "tags": {"CostCenter": "edited", "Name": "payments-local-vpc", "aws:x": "y"}}}
    rows = plan.rows("Create the VPC", "amazon.aws.ec2_vpc_net", args, result)
    assert rows == [{"resource": "payments-local-vpc (amazon.aws.ec2_vpc_net)", "change": "tags.CostCenter",
                     "before": "edited", "after": "cc-0000", "destructive": ""}]


def test_the_name_tag_a_module_sets_from_its_name_is_not_a_change():
    # ansible-core 2.21 gives the callback the task's own arguments, which lack the Name tag ec2_vpc_net adds from name.
    args = {"name": "payments-local-vpc", "tags": {"CostCenter": "cc-0000"}, "purge_tags": True}
    result = {"changed": True, "vpc": {"id": "vpc-1", "tags": {"CostCenter": "edited", "Name": "payments-local-vpc"}}}
    assert plan.tag_changes(args, result) == [("tags.CostCenter", "edited", "cc-0000")]
    # a Name tag that differs from name is still one
    result["vpc"]["tags"]["Name"] = "someone-else"
    assert plan.tag_changes(args, result) == [("tags.CostCenter", "edited", "cc-0000"), ("tags.Name", "someone-else", None)]


def test_without_purge_only_the_tasks_tags_count():
    args = {"name": "x", "tags": {"A": "1"}, "purge_tags": False}
    assert plan.tag_changes(args, {"tags": {"A": "1", "Extra": "kept"}}) == []


def test_an_added_rule_is_reported_as_removed_and_the_security_groups_check_mode_quirks_are_ignored():
    pair_before = {"group_id": "sg-1", "user_id": "1", "description": "To the app tasks"}
    pair_after = {"group_id": "sg-1", "user_id": "1", "description": "the group's own", "group_name": "app", "vpc_id": "vpc-1"}
    egress_before = [{"from_port": 8080, "to_port": 8080, "ip_protocol": "tcp", "user_id_group_pairs": [pair_before]}]
    egress_after = [{"from_port": "8080", "to_port": "8080", "ip_protocol": "tcp", "user_id_group_pairs": [pair_after]}]
    extra = {"from_port": 22, "to_port": 22, "ip_protocol": "tcp", "ip_ranges": [{"cidr_ip": "0.0.0.0/0"}]}
    diff = [{"before": {"group_name": "alb", "ip_permissions": [extra], "ip_permissions_egress": egress_before, "security_group_arn": "arn"},
             "after": {"group_name": "alb", "ip_permissions": [], "ip_permissions_egress": egress_after}}]
    rows = plan.rows("Create the security groups", SG, {"name": "payments-local-alb"}, {"changed": True, "diff": diff})
    assert [(row["change"], row["after"]) for row in rows] == [("ip_permissions", "-")]
    assert '"from_port": "22"' in rows[0]["before"]


def test_destructive_changes_are_marked():
    diff = {"before": {"retention_days": 30, "deletion_protection": True, "skip_final_snapshot": False, "tier": "a"},
            "after": {"retention_days": 7, "deletion_protection": False, "skip_final_snapshot": True, "tier": "b"}}
    rows = {row["change"]: row["destructive"] for row in plan.rows("t", "m", {"name": "db"}, {"changed": True, "diff": diff})}
    assert rows == {"retention_days": "shortens retention", "deletion_protection": "turns protection off",
                    "skip_final_snapshot": "no final snapshot", "tier": ""}
    assert plan.destructive_reason("backup_retention_period", 14, None) == "removes retention"
    assert plan.destructive_reason("retention_days", 7, 30) == ""
    assert plan.destructive_reason("requires_replacement", None, True) == "replaces the resource"
    assert plan.rows("t", "m", {"name": "db", "state": "absent"}, {"changed": True})[0]["destructive"] == "removes the resource"


def test_text_diffs_and_changes_without_diff_still_make_a_row():
    rows = plan.rows("Write the outputs", "ansible.builtin.copy", {"dest": "/x"},
                     {"changed": True, "diff": [{"before": "a\nb\n", "after": "a\n", "after_header": "/x"}, {"prepared": "ignored"}]})
    assert rows[0]["change"] == "/x" and rows[0]["before"] == "2 line(s)" and rows[0]["after"] == "1 line(s)"
    bare = plan.rows("Do a thing", "some.module", {}, {"changed": True})
    assert bare[0]["resource"] == "Do a thing (some.module)" and "without a diff" in bare[0]["after"]
    assert plan.resource_name({"name": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER", "id": 7}, "t") == "7"


def test_the_table():
    assert plan.table([]) == ["No changes: the environment matches its inventory."]
    lines = plan.table([{"resource": "r", "change": "k", "before": plan.short("x" * 100), "after": plan.short({"a": 1}),
                         "destructive": "shortens retention"}])
    assert lines[0].split() == ["resource", "what", "would", "change", "before", "->", "after"]
    assert lines[2].startswith("!") and "[DESTRUCTIVE: shortens retention]" in lines[2] and '{"a": 1}' in lines[2]
    assert len(plan.short("x" * 100)) == plan.MAX_VALUE and plan.short(None) == "-"
    assert lines[-1] == "1 change(s), 1 destructive on apply."
    assert plan.normalized({"on": True, "n": None}) == {"on": "true", "n": None}
