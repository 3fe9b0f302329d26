#include "kiosk/strings.h"

/* Korean first: the co-op's members read it; English for visitors and staff. */
static const char *const table[STR_COUNT][2] = {
    [STR_IDLE_TITLE] = {"주문을 찾아 주세요", "Find your order"},
    [STR_IDLE_HINT] = {"주문 번호를 입력하거나 주문 QR을 스캔하세요",
                       "Enter your order number or scan your order's QR code"},
    [STR_ORDERS_READY] = {"찾아갈 주문", "Orders ready"},
    [STR_PAY_TITLE] = {"결제해 주세요", "Please pay"},
    [STR_PAY_AMOUNT] = {"금액", "Amount"},
    [STR_PAY_MEMO] = {"메모", "Memo"},
    [STR_PAY_TIME_LEFT] = {"남은 시간", "Time left"},
    [STR_PAY_SCAN_WITH] = {"지갑 앱으로 QR을 스캔하세요", "Scan the QR with your wallet app"},
    [STR_PAY_NO_QR] = {"이 화면에는 QR을 표시할 수 없습니다",
                       "This screen cannot show the QR code"},
    [STR_PAY_BY_HAND] = {"지갑에서 직접 송금하세요", "Send from your wallet by hand"},
    [STR_CONFIRMING_TITLE] = {"결제를 확인하고 있습니다", "Confirming your payment"},
    [STR_CONFIRMING_PROGRESS] = {"확인", "Confirmations"},
    [STR_PAID_TITLE] = {"결제가 완료되었습니다", "Payment received"},
    [STR_PAID_LOCKER] = {"%u번 보관함이 열렸습니다", "Compartment %u is open"},
    [STR_PAID_RECEIPT] = {"영수증을 받아 가세요", "Please take your receipt"},
    [STR_UNDERPAID_TITLE] = {"금액이 부족합니다", "Not paid in full"},
    [STR_UNDERPAID_DUE] = {"남은 금액", "Still due"},
    [STR_WRONG_ASSET_TITLE] = {"다른 화폐로 결제되었습니다", "Paid in a different currency"},
    [STR_EXPIRED_TITLE] = {"결제 요청 시간이 지났습니다", "This payment request has expired"},
    [STR_SEE_STAFF] = {"직원에게 문의해 주세요", "Please see a staff member"},
    [STR_OFFLINE_BANNER] = {"오프라인: 결제는 가능하며 직원이 확인할 수 있습니다",
                            "Offline: payments still work, staff can confirm"},
    [STR_STAFF_CODE_TITLE] = {"직원 코드", "Staff code"},
    [STR_STAFF_CODE_HINT] = {"인증 앱의 코드를 입력하세요",
                             "Enter the code from your authenticator app"},
    [STR_STAFF_MENU_TITLE] = {"직원 메뉴", "Staff menu"},
    /* One item per line: staff read them as a list. */
    [STR_STAFF_MENU_ITEMS] =
        {"1 체인 결제(아직 안 보임)\n2 인계 재시도\n3 주문 취소\n4 현금\n5 계좌이체\n"
         "6 면제\n7 직원 등록 QR 보기\n8 영수증 다시 인쇄\n0 나가기",
         "1 Paid on chain, not seen yet\n2 Retry handover\n3 Cancel order\n4 Cash\n"
         "5 Bank transfer\n6 Waive\n7 Show staff enrolment QR\n8 Reprint the receipt\n0 Exit"},
    [STR_STAFF_FLAGGED] = {"확인이 필요한 주문", "Orders to follow up"},
    [STR_STAFF_WAIVE_TITLE] = {"면제 사유", "Reason for waiving"},
    [STR_STAFF_WAIVE_ITEMS] =
        {"1 상품 파손·누락\n2 조합 선물·봉사\n3 가격 오류\n4 기타\n0 돌아가기\n"
         "(사유 바코드를 스캔해도 됩니다)",
         "1 Damaged or missing goods\n2 Co-op gift or volunteer\n3 Price error\n"
         "4 Other\n0 Back\n(or scan a reason barcode)"},
    /* A 128x64 panel: three lines of 16 columns (a Hangul syllable takes two);
     * 8 (reprint, rare) and 0 are left off there and work all the same. */
    [STR_STAFF_MENU_SHORT] = {"1체인 2재시도\n3취소 4현금 7QR\n5이체 6면제",
                              "1chain 2retry\n3cancel 4cash\n5bnk 6waive 7QR"},
    [STR_STAFF_WAIVE_SHORT] = {"1파손 2선물\n3가격 4기타\n0돌아가기",
                               "1damage 2gift\n3price 4other\n0back"},
    [STR_STAFF_SHORT] = {"직원", "Staff"},
    [STR_STAFF_WAIVE_SHORT_TITLE] = {"면제", "Waive"},
    [STR_STAFF_ENROL_TITLE] = {"직원 등록", "Staff enrolment"},
    [STR_STAFF_ENROL_SCAN] = {"인증 앱으로 QR을 스캔하세요",
                              "Scan the QR with an authenticator app"},
    [STR_STAFF_ENROL_CLOSE] = {"아무 키나 누르면 닫힙니다", "Any key closes this screen"},
    [STR_ERROR_TITLE] = {"오류", "Error"},
    [STR_ORDER] = {"주문", "Order"},
    /* A paid order goes out only against its pickup code ("%u": tries or minutes). */
    [STR_PICKUP_TITLE] = {"수령 코드", "Pickup code"},
    [STR_PICKUP_HINT] =
        {"결제된 주문입니다. 받으신 수령 코드를 입력하거나 수령 QR을 스캔하세요",
         "This order is paid. Enter the pickup code you were sent, or scan its pickup QR"},
    [STR_PICKUP_WRONG] = {"코드가 맞지 않습니다 (%u번 더 시도할 수 있습니다)",
                          "Wrong code (%u more tries before it locks)"},
    [STR_PICKUP_LOCKED] =
        {"잘못된 코드가 많아 이 주문은 %u분 동안 잠겼습니다. 직원에게 문의해 주세요",
         "Too many wrong codes: this order is locked for %u min. Please see a staff member"},
    [STR_PICKUP_KIOSK_LOCKED] = {"코드 수령이 %u분 동안 중지되었습니다. 결제는 가능합니다",
                                 "Pickup by code is paused for %u min. Payment still works"},
    [STR_PICKUP_NO_CODE] = {"이 주문에는 수령 코드가 없습니다. 직원에게 문의해 주세요",
                            "This order has no pickup code. Please see a staff member"},
    /* A 128x64 panel: one short line. */
    [STR_PICKUP_SHORT_HINT] = {"코드/QR 스캔", "Code or scan QR"},
    [STR_PAY_TO] = {"받는 계정", "To account"},
    [STR_WRONG_ASSET_GOT] = {"받은 금액", "Received"},
    [STR_WRONG_ASSET_DUE] = {"결제할 금액", "Amount due"},
    [STR_WRONG_ASSET_NEXT] = {"주문은 아직 결제되지 않았습니다. 직원에게 문의해 주세요.",
                              "The order is not paid yet. Please see a staff member."},
    [STR_WRONG_ASSET_REFUND] = {"받은 금액은 환불할 수 있도록 기록되었습니다.",
                                "What you sent is recorded for a refund."},
    [STR_ORDER_NOT_FOUND] = {"주문을 찾을 수 없습니다", "Order not found"},
    [STR_STAFF_WRONG_CODE] = {"코드가 맞지 않습니다", "Wrong code"},
    [STR_STAFF_PICK_ORDER] = {"먼저 주문 번호를 입력하세요", "Pick the order first"},
    [STR_STAFF_CANNOT_CONFIRM] = {"이 주문은 확인할 수 없습니다", "This order cannot be confirmed"},
    [STR_STAFF_CANNOT_CANCEL] = {"이 주문은 취소할 수 없습니다", "This order cannot be cancelled"},
    [STR_STAFF_CANCELLED_REFUND] = {"취소됨: 환불 필요", "Cancelled: refund due"},
    [STR_STAFF_CANCELLED] = {"취소됨", "Cancelled"},
    [STR_STAFF_REPRINT_ONLY] = {"인도된 주문만 재인쇄할 수 있습니다",
                                "Only an order handed over can be reprinted"},
    [STR_STAFF_REPRINTING] = {"재인쇄 중", "Reprinting the receipt"},
    [STR_STAFF_NO_ENROL] = {"최근 2분 안에 요청된 등록이 없습니다",
                            "No enrolment asked for in the last 2 minutes"},
    [STR_BUSY] = {"처리 중입니다. 잠시 후 다시 시도하세요", "Busy: try again in a moment"},
    [STR_JOURNAL_FAILED] = {"기록에 실패했습니다. 직원에게 문의하세요",
                            "The journal could not be written. Please see a staff member"},
    [STR_REQUEST_FAILED] = {"결제 요청을 만들 수 없습니다. 직원에게 문의하세요",
                            "The payment request could not be made. Please see a staff member"},
    [STR_STAFF_JOURNAL_UNREADABLE] = {"기록을 읽을 수 없어 직원 코드를 확인할 수 없습니다",
                                      "Staff codes cannot be checked: the journal cannot be read"},
    [STR_STAFF_NOT_CONFIRMED] = {"기록에 실패하여 아무것도 확인되지 않았습니다",
                                 "The journal write failed; nothing was confirmed"},
    [STR_WHEEL_HINT] = {"◀▶ 고르기, OK 누르기", "◀▶ choose, OK press"},
    [STR_WHEEL_ENTER] = {"확인", "Enter"},
    [STR_WHEEL_ERASE] = {"지우기", "Erase"},
    [STR_RATE_ASK_STAFF] = {"원화 가격에 쓸 환율이 없습니다. 직원에게 문의하세요",
                            "No usable rate for this price in won. Please see a staff member"},
    [STR_PAY_WON_RATE] = {"원화 가격과 환율", "Price in won and rate"},
};

const char *str_get(enum str_id id, enum site_lang lang)
{
	if ((unsigned)id >= STR_COUNT)
		return "";
	return table[id][lang == SITE_LANG_EN ? 1 : 0];
}
