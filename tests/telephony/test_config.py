"""Switch configuration in the database: refused before it takes effect, with clear Chinese
messages and nothing saved; accepted changes recorded and applied to new calls live."""

from __future__ import annotations

import copy

import pytest
from tests.telephony.conftest import TREE
from tests.telephony.harness import Harness, db, run

from kefu.switch.engine import commands as c
from kefu.telephony import actions
from kefu.telephony.actions import ConfigRefused
from kefu.telephony.config_build import build_config, check_config
from kefu.telephony.models import ConfigChange, IvrTree, Queue, QueueSeat, Seat, SwitchSettings


def refused(change) -> list[str]:
    with pytest.raises(ConfigRefused) as caught:
        actions.do_change_config(None, "test", change)
    return caught.value.messages


def test_the_stored_configuration_is_valid(center):
    config, _host, problems = build_config()
    assert check_config(config, problems) == []
    assert config.seats == ("7", "8", "9")
    assert config.queue("general").seats == {"7": 1, "8": 1}
    assert config.default_tree == "main" and config.supervisor_seat == "9"


def test_an_ivr_tree_with_a_loop_is_refused_and_not_saved(center):
    looped = copy.deepcopy(TREE)
    looped["nodes"].append({"id": "again", "type": "play", "prompt": "thanks", "next": "main"})
    looped["nodes"][0]["options"]["5"] = "again"

    messages = refused(lambda: IvrTree.objects.filter(code="main").update(definition=looped))

    assert messages == ["语音导航 main 存在循环：main → again → main"]
    assert IvrTree.objects.get(code="main").definition == TREE
    assert not ConfigChange.objects.exists()


def test_a_menu_key_leading_nowhere_is_refused_and_not_saved(center):
    dangling = copy.deepcopy(TREE)
    dangling["nodes"][0]["options"]["9"] = "nowhere"

    messages = refused(lambda: IvrTree.objects.filter(code="main").update(definition=dangling))

    assert messages == ["语音导航 main 的节点 main：按键 9 指向不存在的节点 nowhere"]
    assert "9" not in IvrTree.objects.get(code="main").definition["nodes"][0]["options"]


def test_a_queue_without_seats_is_refused_and_not_saved(center):
    messages = refused(lambda: QueueSeat.objects.filter(queue__code="sales").delete())

    assert messages == ["队列 sales 没有坐席也没有技能"]
    assert QueueSeat.objects.filter(queue__code="sales").count() == 1


def test_a_negative_ring_timeout_is_refused_and_not_saved(center):
    with pytest.raises(ConfigRefused) as caught:
        actions.do_update_settings(None, ring_timeout=-5)

    assert caught.value.messages == ["振铃超时必须大于 0"]
    assert SwitchSettings.load().ring_timeout == 15


def test_every_problem_is_listed_at_once(center):
    def break_two_things():
        SwitchSettings.objects.update(caller_release_timeout=0)
        Queue.objects.filter(code="sales").update(max_wait=-1)

    messages = refused(break_two_things)

    assert "等待主叫挂机时间必须大于 0" in messages
    assert "队列 sales 的最长等待必须为正数" in messages


def test_an_ivr_tree_that_is_no_tree_says_what_is_wrong(center):
    broken = {"root": "main", "nodes": [{"id": "main", "type": "menu", "prompt": "main_menu"}]}

    messages = refused(lambda: IvrTree.objects.filter(code="main").update(definition=broken))

    assert "语音导航 main 格式不正确：node main: options is required" in messages


def test_an_unknown_prompt_in_a_tree_is_refused(center):
    tree = copy.deepcopy(TREE)
    tree["nodes"][-1]["prompt"] = "no_such_prompt"

    messages = refused(lambda: IvrTree.objects.filter(code="main").update(definition=tree))

    assert messages == ["语音导航 main 的节点 thanks：语音提示 no_such_prompt 不存在"]


def test_an_accepted_change_is_recorded_with_its_history(center, manager):
    record = actions.do_update_settings(manager, ring_timeout=20)

    assert record.actor == manager and "ring_timeout" in record.summary
    settings = SwitchSettings.load()
    assert settings.ring_timeout == 20
    assert settings.history.first().history_change_reason == "交换机参数：ring_timeout"


def test_a_change_applies_to_new_calls_without_restart(center):
    """Seat 8 leaves the general queue: the next call rings seat 7 only."""

    async def scenario():
        async with Harness() as h:
            await h.log_on("8", "3002")
            await h.advance(1)
            await h.log_on("7", "3001")
            first = await h.runner.inject_call("13800000001", keys=("2",))
            await h.advance(9)
            snap = await h.runner.snapshot()
            assert snap["calls"][first]["ringing"] == ["8"]  # longest idle
            await h.ok(c.CallerHangUp(first))
            await h.advance(1)

            await db_change()
            result = await h.runner.reload_config()
            assert result.ok, result.error
            assert [e["type"] for e in result.events] == [
                "switch.config_applied",
                "switch.configured",
            ]
            await h.advance(1)
            second = await h.runner.inject_call("13800000002", keys=("2",))
            await h.advance(9)
            snap = await h.runner.snapshot()
            assert snap["calls"][second]["ringing"] == ["7"]
            return result.events[0]["data"]["version"]

    def leave():
        QueueSeat.objects.filter(queue__code="general", seat__number="8").delete()

    async def db_change():
        await db(actions.do_change_config)(None, "8 离开", leave)

    version = run(scenario)
    change = ConfigChange.objects.get()
    assert version == str(change.pk)
    assert change.applied and change.result == "已生效"


def test_a_logged_on_seat_cannot_be_switched_off(center):
    def switch_off():
        Seat.objects.filter(number="8").update(active=False)

    async def scenario():
        async with Harness() as h:
            await h.log_on("8", "3002")
            await db(switch_off)()
            return await h.runner.reload_config()

    # the engine refuses it even if the database was changed behind the switch's back
    result = run(scenario)
    assert not result.ok
    assert result.error.message == "交换机配置不正确：坐席 8 正在使用，不能停用"


def test_admin_shows_a_refusal_on_the_form_and_saves_nothing(center, sysadmin, client):
    client.force_login(sysadmin)
    queue = Queue.objects.get(code="sales")
    url = f"/admin/telephony/queue/{queue.pk}/change/"
    form = {
        "code": "sales",
        "name": "销售",
        "strategy": "longest_idle",
        "skill": "",
        "wrap_up": "",
        "sort_order": "0",
        "announce_every": "",
        "max_wait": "",
        "on_max_wait": "voicemail",
        "voicemail_seconds": "120",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "1",
        "members-0-id": str(queue.members.get().pk),
        "members-0-queue": str(queue.pk),
        "members-0-seat": str(queue.members.get().seat_id),
        "members-0-level": "1",
        "members-0-DELETE": "on",
    }
    response = client.post(url, form)

    assert response.status_code == 200
    assert "队列 sales 没有坐席也没有技能" in response.content.decode()
    assert queue.members.count() == 1
    assert not ConfigChange.objects.exists()

    form["members-0-DELETE"] = ""
    form["name"] = "销售热线"
    response = client.post(url, form)
    assert response.status_code == 302
    assert Queue.objects.get(code="sales").name == "销售热线"
    assert ConfigChange.objects.get().summary == "修改队列：sales 销售热线"
