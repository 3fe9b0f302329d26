/* Order files: never crash; a file that parses holds only valid orders. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/order_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct order_import_rules rules = {
	    .symbols = {"HIVE", "HBD", NULL}, .compartments = 8, .now_ms = 0};
	struct order_import imp;
	enum kerr err = order_import_parse((const char *)data, size, &rules, &imp);

	if (err == KERR_OK) {
		for (unsigned i = 0; i < imp.count; i++) {
			const struct order *o = &imp.orders[i];

			if (o->item_count == 0 || o->price.amount <= 0 ||
			    !order_account_name_valid(o->member))
				abort();
			if (o->pickup == ORDER_PICKUP_LOCKER &&
			    (o->compartment < 1 || o->compartment > 8))
				abort();
		}
	} else if (imp.count != 0) {
		abort();
	}
	order_import_fini(&imp);
	return 0;
}
