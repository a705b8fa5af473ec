#include "training/modules.hpp"

#include <algorithm>

namespace backroom::training {

// The texts name the buttons and screens as the UI labels them; the events are the ones the
// register and the back office report (web/src/help/coach.ts). A question's options are
// plausible, and the right one is what the product actually does.
const std::vector<Module>& modules() {
  static const std::vector<Module> all{
      {"cashier-basics",
       "cashier",
       "Till basics",
       "A Saturday queue: a customer pays cash and needs change, the next pays by card, a third forgets "
       "their wallet and you serve the next customer meanwhile.",
       "register",
       {{"cash-change", "Sell something for cash and give change: type the amount handed over, press Cash.",
         "sale.cash_change"},
        {"card", "Sell something by card: type the terminal's reference, press Card.", "sale.card"},
        {"park", "Start a sale and park it (F6) while the customer fetches their wallet.", "sale.parked"},
        {"resume", "Bring the parked sale back from Parked sales (F9).", "sale.resumed"},
        {"help", "Open the help sheet (F1) and close it again.", "help.opened"},
        {"offline", "When the banner says Offline, finish a cash sale anyway: it completes offline and waits to be sent.",
         "sale.offline"}},
       {{"The network drops in the middle of a cash sale. What happens?",
         {"The sale is lost and must be rung up again",
          "The sale completes with a reserved receipt number and is sent when the server is back",
          "The register locks until a manager signs in"},
         1},
        {"A barcode will not scan. What do you do first?",
         {"Type the digits under the bars into the scan field", "Give the item away",
          "Sell it as a different item with the same price"},
         0},
        {"A customer returns an item but has no receipt. Who finishes the return?",
         {"You, always", "A shift lead approves it with their PIN", "Nobody: returns need a receipt"},
         1},
        {"Which key takes you to payment?", {"F2", "F4", "F10"}, 1}},
       75},
      {"lead-corrections",
       "shift_lead",
       "Corrections at the till",
       "A cashier rang up the wrong item and the customer has already paid; later a customer brings back a "
       "damaged jar, another a gift without its receipt, and a third wants a different size.",
       "register",
       {{"void", "Void the last sale (F8) with a reason: the post-void correction.", "sale.voided"},
        {"damaged", "Take back an item as damaged: Return, find the receipt, condition and disposition damaged.",
         "return.damaged"},
        {"credit", "Refund a return to a store credit note instead of the original payment.", "return.store_credit"},
        {"no-receipt", "Take back an item without a receipt: Return, No receipt, scan the item, complete.",
         "return.no_receipt"},
        {"exchange", "Exchange an item for another and settle the difference.", "exchange.completed"}},
       {{"A voided sale's stock...", {"stays sold", "goes back on hand, and the void is in the audit log",
                                      "is written off as damaged"},
         1},
        {"A damaged return with disposition 'damaged' goes...",
         {"back on the shelf", "into the store's damaged bin, not back on the shelf", "to the supplier automatically"},
         1},
        {"A store credit note is redeemed by...",
         {"scanning or typing its code as the payment", "the customer's name", "the original receipt only"},
         0},
        {"Who may approve a return without a receipt?",
         {"Any cashier", "A person holding the no-receipt permission (a shift lead or manager)", "Only the admin"},
         1}},
       75},
      {"buyer-receiving",
       "buyer",
       "Reorders and a short delivery",
       "Monday morning: what should be ordered, from whom, and what to do when a supplier delivers fewer "
       "cases than were ordered.",
       "office",
       {{"reorder", "Open Reorder and choose the store and a supplier.", "screen./office/reorder"},
        {"why", "Press Why? on a suggestion and read what its number is made of: the forecast, the lead time, "
                "the safety stock and what is on hand and on order.",
         "reorder.why"},
        {"orders", "Open Purchase orders.", "screen./office/purchase-orders"},
        {"suppliers", "Open Suppliers and find one.", "screen./office/suppliers"}},
       {{"A delivery arrives with 4 cases where the order said 6. What is received?",
         {"6, the order's quantity", "4, what arrived; the order stays open for the rest or is closed short",
          "Nothing until the rest arrives"},
         1},
        {"A supplier's new bank details are typed in by a buyer. When do they apply?",
         {"At once", "When a different person approves them", "After 30 days"},
         1},
        {"A reorder suggestion is based on...",
         {"the sales history, the supplier's lead time and the safety stock", "last year's order only",
          "a fixed number per item"},
         0}},
       67},
      {"clerk-backroom",
       "clerk",
       "The back room's day",
       "Tuesday: a delivery with a damaged case arrives, today's shelves wait to be counted, an online order "
       "wants picking before noon, and the new prices need their labels.",
       "office",
       {{"receiving", "Open Receiving and find the order the delivery belongs to.", "screen./office/receiving"},
        {"counts", "Open Counts and look at today's list.", "screen./office/counts"},
        {"pick", "Open Pick online orders.", "screen./office/pick"},
        {"labels", "Open Labels.", "screen./office/labels"},
        {"short", "Count a delivery that is 2 short of its order (+1 on a line until it says 2 still open) and read "
                  "what the screen says is short. Do not finish the receipt.",
         "receive.short"}},
       {{"You scan a case's barcode while receiving. What is received?",
         {"One unit", "The whole case: its barcode counts every unit in it", "Nothing until each unit is scanned"},
         1},
        {"While counting a shelf, what does the count screen show you?",
         {"What the system expects, so you can check it", "Only what to count and where: you count blind",
          "Last month's count"},
         1},
        {"You scan the wrong item while picking an online order. What happens?",
         {"It is added to the order", "The pick screen refuses it and says which item is wanted",
          "The order is cancelled"},
         1},
        {"Two jars in the delivery are broken. What do you receive?",
         {"Nothing: send the whole case back", "Everything, as if whole",
          "What arrived, the two broken jars marked damaged: they go to the damaged bin, not the shelf"},
         2},
        {"An order said 6 and 4 arrived. You finish the receipt with 4. What happens to the order?",
         {"It is closed: the 2 are forgotten", "It stays open for the 2 until they come or a manager closes it short",
          "You must wait and receive all 6 at once"},
         1}},
       75},
      {"manager-oversight",
       "manager",
       "Counts, the week and the trail",
       "Friday afternoon: approve the week's counts, read the weekly review, and find who changed a price.",
       "office",
       {{"counts", "Open Counts and look at what waits for approval.", "screen./office/counts"},
        {"reason", "Review a count with a difference and choose the reason for it (damage, theft, ...). Do not "
                   "approve it in practice: approving changes on-hand.",
         "count.reason"},
        {"review", "Open the Weekly review.", "screen./office/review"},
        {"audit", "Open the Audit log.", "screen./office/audit"}},
       {{"A count shows 3 fewer jars than the books. When does on-hand change?",
         {"When the counter saves", "When a person allowed to approve counts approves it",
          "At the end of the month"},
         1},
        {"Who may approve a price change a buyer asked for?",
         {"The same buyer", "A different person with the price approval permission", "Anyone"},
         1},
        {"Where do you see who changed an item and when?", {"The audit log", "The receipt", "Nowhere"}, 0}},
       67},
  };
  return all;
}

const Module* find_module(std::string_view id) {
  const auto& all = modules();
  auto it = std::find_if(all.begin(), all.end(), [id](const Module& m) { return m.id == id; });
  return it == all.end() ? nullptr : &*it;
}

Grade grade(const Module& module, const std::vector<std::size_t>& answers, const std::vector<std::string>& steps_done) {
  Grade g;
  g.total = static_cast<int>(module.quiz.size());
  for (std::size_t i = 0; i < module.quiz.size() && i < answers.size(); ++i)
    if (answers[i] == module.quiz[i].answer) ++g.score;
  for (const auto& step : module.steps)
    if (std::find(steps_done.begin(), steps_done.end(), step.id) == steps_done.end()) g.missing_steps.push_back(step.id);
  g.passed = g.missing_steps.empty() && g.total > 0 && g.score * 100 >= module.pass_percent * g.total;
  return g;
}

}  // namespace backroom::training
