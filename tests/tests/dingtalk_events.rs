//! DingTalk's events (`specs/dingtalk/events.yaml`): each page's decrypted HTTP callback example,
//! read out of the committed source, decodes into its variant with the page's values; an event
//! type the spec does not declare keeps its payload; a declared type whose payload does not fit
//! its model is a payload error naming the member.

mod support;

use open_platform_clients::dingtalk::events::{
    ApprovalInstanceChangeType, ApprovalInstanceResult, ApprovalTaskChangeType, ApprovalTaskResult,
    AttendanceLocationMethod, AttendanceLocationResult, Event,
};
use open_platform_runtime::{EventError, Events, Millis};
use serde_json::json;
use support::{dingtalk_source, example_after};

/// The page's example of the decrypted HTTP callback: the second 事件体示例 of an event page
/// (the first is the Stream-mode envelope).
fn http_example(file: &str) -> String {
    example_after(&dingtalk_source(file), "事件体示例", 1).to_owned()
}

/// The common members of the HTTP推送 examples.
macro_rules! assert_http_header {
    ($e:expr, $type:literal) => {
        assert_eq!($e.event_type.as_deref(), Some($type));
        assert_eq!($e.event_time, Some(Millis(1663143335567)));
        assert_eq!($e.corp_id.as_deref(), Some("ding9f50b15bxxxx16741"));
        assert_eq!($e.biz_id.as_deref(), Some("1663**35567"));
        assert_eq!($e.event_id.as_deref(), Some("c7c7120f2c07419**ebdba0318c8"));
    };
}

#[test]
fn the_url_check() {
    let page = dingtalk_source("044_event_check_url.txt");
    let event = Event::from_json(example_after(&page, "POST数据解密后示例", 0)).unwrap();
    let Event::CallbackUrlChecked(e) = &event else {
        panic!("{event:?}")
    };
    assert_eq!(e.event_type.as_deref(), Some("check_url"));
    assert_eq!(event.event_type(), "check_url");
}

#[test]
fn the_suite_ticket() {
    let page = dingtalk_source("045_event_suite_ticket_http.txt");
    let event = Event::from_json(example_after(&page, "POST数据解密后示例", 0)).unwrap();
    let Event::SuiteTicketPushed(e) = &event else {
        panic!("{event:?}")
    };
    assert_eq!(e.suite_key.as_deref(), Some("xxxxxx"));
    assert_eq!(e.event_type.as_deref(), Some("suite_ticket"));
    assert_eq!(e.time_stamp, Some(123456));
    assert_eq!(e.suite_ticket.as_deref(), Some("xxxxxx"));
}

#[test]
fn a_user_added() {
    let event = Event::from_json(&http_example("047_event_user_add_org.txt")).unwrap();
    let Event::UserAdded(e) = &event else {
        panic!("{event:?}")
    };
    assert_http_header!(e, "user_add_org");
    // The page sends the time stamp as a string of milliseconds.
    assert_eq!(e.time_stamp, Millis(1685501863357));
    assert_eq!(e.user_id, ["015xxxx227"]);
}

#[test]
fn a_user_modified_with_its_diff() {
    let event = Event::from_json(&http_example("048_event_user_modify_org.txt")).unwrap();
    let Event::UserModified(e) = &event else {
        panic!("{event:?}")
    };
    assert_http_header!(e, "user_modify_org");
    assert_eq!(e.time_stamp, Some(Millis(1608017258073)));
    assert_eq!(e.user_id.as_deref(), Some(&["user123456".to_owned()][..]));
    let diff = e.diff_info.as_ref().expect("diffInfo");
    assert_eq!(diff.userid.as_deref(), Some("user123456"));
    let prev = diff.prev.as_ref().expect("prev");
    assert_eq!(prev.name, "测试01");
    assert_eq!(prev.telephone.as_deref(), Some("1234"));
    assert_eq!(prev.remark, None);
    let curr = diff.curr.as_ref().expect("curr");
    assert_eq!(curr.name, "测试1");
    assert_eq!(curr.manager_userid, "205xxx91");
    assert_eq!(curr.hired_date, "20xx-xx-xx");
    assert_eq!(curr.email, "xxx@xx.com");
    assert_eq!(curr.job_number, "112x422");
    assert_eq!(curr.work_place, "北京");
    // The page's curr leaves out the extension number it marks 必填.
    assert_eq!(curr.telephone, None);
}

#[test]
fn a_user_left() {
    let event = Event::from_json(&http_example("049_event_user_leave_org.txt")).unwrap();
    let Event::UserLeft(e) = &event else {
        panic!("{event:?}")
    };
    assert_http_header!(e, "user_leave_org");
    assert_eq!(e.time_stamp, Millis(1685501863357));
    assert_eq!(e.user_id, ["015xxxx227"]);
}

#[test]
fn a_user_activated() {
    let event = Event::from_json(&http_example("050_event_user_active_org.txt")).unwrap();
    let Event::UserActivated(e) = &event else {
        panic!("{event:?}")
    };
    assert_http_header!(e, "user_active_org");
    // The page's HTTP example has no time stamp.
    assert_eq!(e.time_stamp, None);
    assert_eq!(e.user_id.as_deref(), Some(&["015xxxx227".to_owned()][..]));
}

#[test]
fn departments_created_modified_and_removed() {
    let event = Event::from_json(&http_example("051_event_org_dept_create.txt")).unwrap();
    let Event::DepartmentCreated(e) = &event else {
        panic!("{event:?}")
    };
    assert_http_header!(e, "org_dept_create");
    assert_eq!(e.dept_id.as_deref(), Some(&[432825033][..]));

    let event = Event::from_json(&http_example("052_event_org_dept_modify.txt")).unwrap();
    let Event::DepartmentModified(e) = &event else {
        panic!("{event:?}")
    };
    assert_http_header!(e, "org_dept_modify");
    assert_eq!(e.dept_id.as_deref(), Some(&[432825033][..]));

    let event = Event::from_json(&http_example("053_event_org_dept_remove.txt")).unwrap();
    let Event::DepartmentRemoved(e) = &event else {
        panic!("{event:?}")
    };
    assert_http_header!(e, "org_dept_remove");
    assert_eq!(e.dept_id, [432825033]);
}

#[test]
fn an_approval_task_changed() {
    let event = Event::from_json(&http_example("054_event_bpms_task_change.txt")).unwrap();
    let Event::ApprovalTaskChanged(e) = &event else {
        panic!("{event:?}")
    };
    assert_http_header!(e, "bpms_task_change");
    assert_eq!(e.result, ApprovalTaskResult::Agree);
    assert_eq!(
        e.process_instance_id.as_deref(),
        Some("ce133dd0-5b22-9516-xxxxxxxxxxxx")
    );
    assert_eq!(e.finish_time, Some(Millis(1670983893000)));
    assert_eq!(e.create_time, Some(Millis(1670983873000)));
    assert_eq!(
        e.process_code.as_deref(),
        Some("PROC-27BBC5E6-DFFA-4EC3-A1F1-xxx")
    );
    assert_eq!(e.biz_category_id.as_deref(), Some("attendance.goout"));
    assert_eq!(e.business_id.as_deref(), Some("20xxxx38"));
    assert_eq!(e.remark.as_deref(), Some("同意"));
    assert_eq!(e.r#type, Some(ApprovalTaskChangeType::Finish));
    assert_eq!(e.title.as_deref(), Some("考勤-测试"));
    assert_eq!(e.task_id, Some(811165));
    assert_eq!(e.staff_id.as_deref(), Some("08058646137"));
}

#[test]
fn an_approval_instance_changed() {
    let event = Event::from_json(&http_example("055_event_bpms_instance_change.txt")).unwrap();
    let Event::ApprovalInstanceChanged(e) = &event else {
        panic!("{event:?}")
    };
    assert_http_header!(e, "bpms_instance_change");
    assert_eq!(e.result, Some(ApprovalInstanceResult::Agree));
    assert_eq!(e.process_instance_id.as_deref(), Some("9Qgx5QqjR7axMwxxxx"));
    assert_eq!(e.finish_time, Some(Millis(1495592272000)));
    assert_eq!(e.create_time, Some(Millis(1495592305000)));
    assert_eq!(e.process_code.as_deref(), Some("Pro-xxx"));
    assert_eq!(e.biz_category_id.as_deref(), Some("20230xxx"));
    assert_eq!(e.business_id.as_deref(), Some("yewu1"));
    assert_eq!(e.r#type, Some(ApprovalInstanceChangeType::Finish));
    assert_eq!(e.title.as_deref(), Some("自测-1016"));
    assert_eq!(e.business_type.as_deref(), Some("yewu1"));
    // The page escapes the backslash: the value holds `\u003d` literally.
    assert_eq!(
        e.url.as_deref(),
        Some(
            r"https://aflow.dingtalk.com/dingtalk/mobile/homepage.htm?corpid\u003dding2c015874d817xxxx\u0026dd_share\u003d"
        )
    );
    assert_eq!(e.staff_id.as_deref(), Some("manager75"));
}

#[test]
fn a_terminated_approval_instance_has_no_result() {
    let event = Event::from_json(
        r#"{"EventType": "bpms_instance_change", "processInstanceId": "9Qgx5QqjR7axMwxxxx", "type": "terminate"}"#,
    )
    .unwrap();
    let Event::ApprovalInstanceChanged(e) = &event else {
        panic!("{event:?}")
    };
    assert_eq!(e.r#type, Some(ApprovalInstanceChangeType::Terminate));
    assert_eq!(e.result, None);
}

#[test]
fn a_check_in() {
    let event = Event::from_json(&http_example("056_event_check_in.txt")).unwrap();
    let Event::CheckedIn(e) = &event else {
        panic!("{event:?}")
    };
    assert_http_header!(e, "check_in");
    assert_eq!(e.time_stamp, Millis(1495542282000));
    assert_eq!(e.staff_id, "08058xxxxxx");
}

#[test]
fn an_attendance_check_record() {
    let event = Event::from_json(&http_example("057_event_attendance_check_record.txt")).unwrap();
    let Event::AttendanceChecked(e) = &event else {
        panic!("{event:?}")
    };
    assert_http_header!(e, "attendance_check_record");
    let records = e.data_list.as_deref().expect("dataList");
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!(
        r.address.as_deref(),
        Some("中国科学院xxx物理研究所(浙江海外高层次人才创新xxx东)")
    );
    assert_eq!(r.corp_id.as_deref(), Some("dingxxxx"));
    assert_eq!(r.check_time, Some(Millis(1570791880000)));
    assert_eq!(r.location_result, Some(AttendanceLocationResult::Normal));
    assert_eq!(r.group_id.as_deref(), Some("4C63xxxx"));
    assert_eq!(r.latitude, Some(30.285230848524307));
    assert_eq!(r.biz_id.as_deref(), Some("FF62xxxx"));
    assert_eq!(r.location_method, Some(AttendanceLocationMethod::Map));
    assert_eq!(r.user_id.as_deref(), Some("0126xxxx"));
    assert_eq!(r.device_sn.as_deref(), Some("160xxxxx6KN0294"));
    assert_eq!(r.check_by_user, Some(true));
    assert_eq!(r.longitude, Some(120.01713514539931));
}

/// Stream mode: the page's envelope taken apart, its `data` decoded under its `eventType`.
#[test]
fn a_stream_event_decodes_from_its_type_and_data() {
    let page = dingtalk_source("047_event_user_add_org.txt");
    let envelope: serde_json::Value =
        serde_json::from_str(example_after(&page, "事件体示例", 0)).unwrap();
    let event_type = envelope["eventType"].as_str().unwrap();
    let event = Event::decode(event_type, envelope["data"].clone()).unwrap();
    let Event::UserAdded(e) = &event else {
        panic!("{event:?}")
    };
    assert_eq!(e.event_type, None);
    assert_eq!(e.time_stamp, Millis(1685501863357));
    assert_eq!(e.user_id, ["015xxxx227"]);
}

#[test]
fn an_undeclared_event_type_keeps_its_payload() {
    let text = r#"{"EventType": "chat_add_member", "ChatId": "chat123", "UserId": ["u1"]}"#;
    let event = Event::from_json(text).unwrap();
    assert_eq!(event.event_type(), "chat_add_member");
    let Event::Unknown {
        event_type,
        payload,
    } = event
    else {
        panic!("not unknown")
    };
    assert_eq!(event_type, "chat_add_member");
    assert_eq!(
        payload,
        json!({"EventType": "chat_add_member", "ChatId": "chat123", "UserId": ["u1"]})
    );
}

#[test]
fn a_declared_type_with_a_payload_that_does_not_fit_is_a_payload_error() {
    // `userId` is a list of strings on the page.
    let err = Event::from_json(
        r#"{"EventType": "user_leave_org", "timeStamp": "1685501863357", "userId": "015xxxx227"}"#,
    )
    .unwrap_err();
    let EventError::Payload {
        event_type, path, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(event_type, "user_leave_org");
    assert_eq!(path, "userId");

    // The archived spelling of the callback lacks the required `userId`.
    let err = Event::from_json(
        r#"{"EventType": "user_add_org", "TimeStamp": 43535463645, "UserId": ["user1", "user2"], "CorpId": "dinge8a56572f80b02a8ffexxxx"}"#,
    )
    .unwrap_err();
    assert!(
        matches!(&err, EventError::Payload { event_type, .. } if event_type == "user_add_org"),
        "{err:?}"
    );
}

#[test]
fn an_event_without_its_type_member_is_refused() {
    let err = Event::from_json(r#"{"timeStamp": 1495542282000}"#).unwrap_err();
    assert!(
        matches!(err, EventError::NoType { field: "EventType" }),
        "{err:?}"
    );
}
