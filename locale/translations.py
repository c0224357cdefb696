# ruff: noqa: E501  (a table of translations: one entry a line reads best)
"""Interface translations of the edition, written into the .po catalogues by `python locale/translations.py`.

Every translated entry is marked `# needs review by a native speaker` and `#. needs review by a native speaker`
(docs/i18n.md): none has been checked by one yet.
An entry left out here stays untranslated (the English shows). Only interface strings: never the edition's texts.
The .po files are the source of truth for translators; this script only fills entries that are still empty.
"""

# (msgctxt, msgid) or msgid -> translation; plural entries -> list of forms (zh 1, ru 4, ug 2).
ZH = {
    "Minutes": "会谈记录", "Memorandum": "备忘录", "Other": "其他", "Text outside the documents": "文献以外的文字",
    "Date": "日期", "Document": "文献", "Speaker": "发言人", "Type": "类型", "People mentioned": "提及的人物",
    "Places mentioned": "提及的地点", "People": "人物", "Places": "地点", "Organisations": "机构",
    "Edition": "版本", "Xinjiang 1962": "新疆 1962", "Skip to content": "跳到正文",
    "minutes &amp; memorandum": "会谈记录与备忘录", "Site": "网站", "Documents": "文献", "Search": "搜索",
    "A digital scholarly edition. The only witness is an English translation posted online; every word of it is kept, every editorial intervention is marked.":
        "一部数字学术版本。唯一的底本是网上发布的英文译文；其中每个词都予以保留，每一处编辑干预都有标注。",
    "Collection": "文集", "Contents": "目录", "This collection holds no documents yet.": "本文集尚无文献。",
    "Timeline of the dates its documents mention": "其文献所提及日期的时间线",
    "%(n)s mention of dated events": ["%(n)s 处有日期的事件提及"],
    "in the %(d)s document of this collection; each links to its passage.": ["，见于本文集的 %(d)s 篇文献；每处均链接到其段落。"],
    "No dated events in this collection.": "本文集中没有有日期的事件。",
    "Collections": "文集", "Collection list pages": "文集列表页",
    "Volumes, corpora and files imported into the edition; each lists its documents by section and date.":
        "导入本版本的卷册、语料和文件；每一项按章节和日期列出其文献。",
    "Side by side:": "对照：", "reading text": "阅读文本", "diplomatic text": "原样文本",
    "reading and diplomatic text": "阅读文本与原样文本", "diplomatic and reading text": "原样文本与阅读文本",
    "Side by side": "对照阅读", "Each paragraph is paired with itself in the other view.": "每个段落都与其在另一视图中的自身对应。",
    "%(n)s linked pair of passages; choose “linked” to bring the partner into view.": ["%(n)s 对相互链接的段落；选择“linked”即可显示对应段落。"],
    "Showing only the turns of": "仅显示以下发言人的发言：", "Show the whole document": "显示整篇文献",
    "Unknown speaker": "未知发言人", "This speaker has no turns in this document.": "该发言人在本文献中没有发言。",
    "This document has no text yet.": "本文献尚无文本。", "On the other pages of this document": "在本文献的其他页面上",
    "%(label)s, page %(page)s": "%(label)s，第 %(page)s 页",
    "Also:": "又作：", "Affiliation:": "所属：", "Roles": "角色", ("a role in a document", "in"): "见于",
    "Members": "成员", "Turns spoken (%(n)s)": "发言（%(n)s）", "Read only %(name)s’s turns": "只读%(name)s的发言",
    "Mentions (%(n)s)": "提及（%(n)s）", "%(name)s speaking": "%(name)s 发言", "No mentions.": "没有提及。",
    "unreviewed": "未审核", "%(n)s turn": ["%(n)s 次发言"], "%(n)s mention": ["%(n)s 处提及"],
    "Index pages": "索引页", "None yet.": "暂无。", "Home": "首页",
    "The Xinjiang border crisis of 1962: the minutes and the memorandum of 8 June 1962": "1962年新疆边境危机：1962年6月8日的会谈记录和备忘录",
    "About this edition": "关于本版本", "No document matches these filters.": "没有符合这些筛选条件的文献。",
    "Show all documents": "显示全部文献", "Document list pages": "文献列表页",
    "The whole edition with its notes as footnotes:": "整个版本（注释作为脚注）：",
    "Read %(a)s and %(b)s side by side": "对照阅读%(a)s和%(b)s", "Documents by date": "按日期排列的文献",
    "%(n)s dated document matching the filters": ["%(n)s 篇符合筛选条件的有日期文献"],
    "%(n)s dated document": ["%(n)s 篇有日期的文献"],
    "by month; each bar lists that month’s documents.": "按月；每个条形列出该月的文献。",
    "by year; each bar lists that year’s documents.": "按年；每个条形列出该年的文献。",
    "Timeline of the dates the texts mention": "文本所提及日期的时间线",
    "%(n)s mention of dated events in the documents listed on this page; each links to its passage.": ["本页所列文献中有 %(n)s 处有日期的事件提及；每处均链接到其段落。"],
    "%(n)s mention of dated events; each links to its passage.": ["%(n)s 处有日期的事件提及；每处均链接到其段落。"],
    "No dated events yet.": "尚无有日期的事件。", "Search:": "搜索：", "Nothing to search for in “%(q)s”": "“%(q)s”中没有可搜索的内容",
    "How to search": "如何搜索", "No results for %(query)s": "没有 %(query)s 的结果",
    "%(first)s–%(last)s of %(total)s result for %(query)s": ["%(query)s 的 %(total)s 条结果中的第 %(first)s–%(last)s 条"],
    "%(first)s–%(last)s of more than %(total)s result for %(query)s": ["%(query)s 的 %(total)s 多条结果中的第 %(first)s–%(last)s 条"],
    "Turn": "发言", "Result pages": "结果页", "← Previous": "← 上一页", "Page %(n)s of %(total)s": "第 %(n)s 页，共 %(total)s 页",
    "Next →": "下一页 →", "Cite": "引用", "this paragraph": "本段", "Cite this document": "引用本文献",
    "Copy Chicago citation": "复制芝加哥格式引文", "Copy APA citation": "复制 APA 格式引文",
    "Permalink to version %(number)s": "第 %(number)s 版的永久链接", "Permalink": "永久链接", "Version": "版本",
    "Accessed": "访问于", "last modified": "最后修改于", "Download for a reference manager:": "下载到文献管理软件：",
    "The text with its notes as footnotes:": "文本（注释作为脚注）：", "Series": "丛书", "Volume": "卷",
    "Editor": ["编者"], "Author": ["作者"], "Published by": "出版者",
    "%(n)s document": ["%(n)s 篇文献"], ("from a date to a date", "to"): "至",
    "No collections have been imported yet.": "尚未导入任何文集。", "All %(n)s collections": "全部 %(n)s 个文集",
    "In the collection": "所在文集", ("in a collection", "In"): "见于", "Previous document:": "上一篇文献：",
    "Next document:": "下一篇文献：", "Reading text": "阅读文本", "Diplomatic text": "原样文本",
    "show diplomatic": "显示原样文本", "show reading": "显示阅读文本", "linked:": "链接：",
    "Venue": "地点", "Review": "审核", "Participants": "参加者", "Source of the text": "文本来源",
    "Reading options": "阅读选项", "Text view": "文本视图", "All speakers": "全部发言人",
    ("speaker filter button", "Show"): "显示", "Side by side with the %(kind)s": "与%(kind)s对照阅读",
    "Reading and diplomatic side by side": "阅读文本与原样文本对照", "Plain text": "纯文本",
    "Version %(number)s": "第 %(number)s 版", "history and changes": "历史与修改", "Interface language": "界面语言",
    ("language switcher button", "Change"): "切换", "Last modified": "最后修改于",
    "Cite paragraph %(number)s": "引用第 %(number)s 段", "Notes on paragraph %(number)s": "第 %(number)s 段的注释",
    "Back to the text of note %(label)s": "返回注释 %(label)s 所在的正文", "draft": "草稿",
    "Permalink to turn %(label)s": "%(label)s 发言的永久链接", "Permalink to paragraph %(label)s": "第 %(label)s 段的永久链接",
    "Copy link to turn %(label)s": "复制 %(label)s 发言的链接", "Copy link to paragraph %(label)s": "复制第 %(label)s 段的链接",
    "Copy link": "复制链接", "coordinates from": "坐标来源", "Not on the map:": "不在地图上：",
    "the places index": "地点索引", "Pages of this document (top)": "本文献的页面（顶部）",
    "Pages of this document (bottom)": "本文献的页面（底部）", "← Previous page": "← 上一页", "Next page →": "下一页 →",
    "Search the edition": "搜索本版本", "Refine": "细化", "Active filters": "已用的筛选条件",
    "Remove filter %(param)s: %(value)s": "移除筛选条件 %(param)s：%(value)s", "results": "条结果",
    "Date range": "日期范围", "From": "从", ("date range", "To"): "到", "Apply dates": "应用日期", "Note": "注释",
    "on “%(exact)s”": "关于“%(exact)s”", "Passage %(anchor)s": "段落 %(anchor)s", "Mentions:": "提及：",
    "Read “%(heading)s”": "阅读“%(heading)s”", "%(n)s words": "%(n)s 词",
    "Map of the places of the edition": "本版本地点地图", "Places mentioned in %(title)s": "《%(title)s》中提及的地点",
    "Words supplied by the translator": "译者补充的词语", "Words supplied by the editors": "编者补充的词语",
    "Editors' correction; the witness reads “%(words)s”": "编者校正；底本作“%(words)s”",
    "Corrected in the reading text to “%(words)s”": "在阅读文本中校正为“%(words)s”",
    "Page %(n)s": "第 %(n)s 页", "Page break": "分页", "Gap in the witness (%(words)s)": "底本缺文（%(words)s）",
    "Filter and sort the documents": "筛选和排序文献", "All types": "全部类型", "A year (1918), a month (1918-03) or a day (1918-03-15).": "年份（1918）、月份（1918-03）或日期（1918-03-15）。",
    "Any speaker": "任何发言人", "Sort by": "排序方式", "Edition order": "版本顺序", "Show documents": "显示文献", "Clear filters": "清除筛选条件", ("date filter label", "to"): "至",
    "Source note": "来源说明", "Archive": "档案馆", "File and pages": "卷宗和页码", "Original language": "原文语言", "Translator": "译者",
    "Chain of translation": "翻译链", "Published record": "已发表的记录", "Rights in the translation": "译文权利", "Our witness": "本版本的底本",
    "The source description in full": "完整的来源描述", "Related records of the same exchange": "同一往来的相关记录",
    "Find documents in this collection": "在本文集中查找文献", "No document of this collection matches these filters.": "本文集中没有符合这些筛选条件的文献。",
    "Show the contents": "显示目录", "Matching documents pages": "匹配文献的页面",
    "%(n)s document of this collection matches.": ["本文集中有 %(n)s 篇文献符合。"],
    "%(n)s document of this collection matches, sorted by %(sort)s.": ["本文集中有 %(n)s 篇文献符合，按%(sort)s排序。"],
    "%(n)s dated document of this collection": ["本文集中 %(n)s 篇有日期的文献"],
    "%(n)s dated document of this collection matching the filters": ["本文集中 %(n)s 篇符合筛选条件的有日期文献"],
    "Gap in the witness (omitted)": "底本缺文（省略）", "Note %(n)s": "注释 %(n)s", "Note %(n)s (draft)": "注释 %(n)s（草稿）",
}

RU = {
    "Minutes": "Запись беседы", "Memorandum": "Меморандум", "Other": "Другое", "Text outside the documents": "Текст вне документов",
    "Date": "Дата", "Document": "Документ", "Speaker": "Говорящий", "Type": "Тип", "People mentioned": "Упомянутые лица",
    "Places mentioned": "Упомянутые места", "People": "Лица", "Places": "Места", "Organisations": "Организации",
    "Edition": "Издание", "Xinjiang 1962": "Синьцзян, 1962", "Skip to content": "Перейти к содержанию",
    "minutes &amp; memorandum": "запись беседы и меморандум", "Site": "Сайт", "Documents": "Документы", "Search": "Поиск",
    "A digital scholarly edition. The only witness is an English translation posted online; every word of it is kept, every editorial intervention is marked.":
        "Цифровое научное издание. Единственный источник текста — английский перевод, опубликованный в интернете; каждое его слово сохранено, каждое вмешательство редактора отмечено.",
    "Collection": "Собрание", "Contents": "Содержание", "This collection holds no documents yet.": "В этом собрании пока нет документов.",
    "Timeline of the dates its documents mention": "Хронология дат, упомянутых в его документах",
    "%(n)s mention of dated events": ["%(n)s упоминание датированных событий", "%(n)s упоминания датированных событий", "%(n)s упоминаний датированных событий", "%(n)s упоминания датированных событий"],
    "in the %(d)s document of this collection; each links to its passage.": ["в %(d)s документе этого собрания; каждое ведёт к своему фрагменту.", "в %(d)s документах этого собрания; каждое ведёт к своему фрагменту.", "в %(d)s документах этого собрания; каждое ведёт к своему фрагменту.", "в %(d)s документах этого собрания; каждое ведёт к своему фрагменту."],
    "No dated events in this collection.": "В этом собрании нет датированных событий.",
    "Collections": "Собрания", "Collection list pages": "Страницы списка собраний",
    "Volumes, corpora and files imported into the edition; each lists its documents by section and date.":
        "Тома, корпусы и файлы, импортированные в издание; в каждом документы перечислены по разделам и датам.",
    "Side by side:": "Параллельно:", "reading text": "текст для чтения", "diplomatic text": "дипломатический текст",
    "reading and diplomatic text": "текст для чтения и дипломатический текст", "diplomatic and reading text": "дипломатический текст и текст для чтения",
    "Side by side": "Параллельно", "Each paragraph is paired with itself in the other view.": "Каждый абзац сопоставлен с самим собой в другом представлении.",
    "%(n)s linked pair of passages; choose “linked” to bring the partner into view.": ["%(n)s связанная пара фрагментов; выберите «linked», чтобы показать парный фрагмент.", "%(n)s связанные пары фрагментов; выберите «linked», чтобы показать парный фрагмент.", "%(n)s связанных пар фрагментов; выберите «linked», чтобы показать парный фрагмент.", "%(n)s связанной пары фрагментов; выберите «linked», чтобы показать парный фрагмент."],
    "Showing only the turns of": "Показаны только реплики:", "Show the whole document": "Показать весь документ",
    "Unknown speaker": "Неизвестный говорящий", "This speaker has no turns in this document.": "У этого говорящего нет реплик в этом документе.",
    "This document has no text yet.": "У этого документа пока нет текста.", "On the other pages of this document": "На других страницах этого документа",
    "A link to a passage of this document arrives here when the passage is on another page: follow it to that page.":
        "Ссылка на фрагмент этого документа ведёт сюда, если фрагмент находится на другой странице: перейдите по ней на ту страницу.",
    "%(label)s, page %(page)s": "%(label)s, страница %(page)s",
    "Also:": "Также:", "Affiliation:": "Принадлежность:", "Roles": "Роли", ("a role in a document", "in"): "в документе",
    "Members": "Члены", "Turns spoken (%(n)s)": "Реплики (%(n)s)", "Read only %(name)s’s turns": "Читать только реплики: %(name)s",
    "Mentions (%(n)s)": "Упоминания (%(n)s)", "%(name)s speaking": "говорит %(name)s", "No mentions.": "Упоминаний нет.",
    "unreviewed": "не проверено", "%(n)s turn": ["%(n)s реплика", "%(n)s реплики", "%(n)s реплик", "%(n)s реплики"],
    "%(n)s mention": ["%(n)s упоминание", "%(n)s упоминания", "%(n)s упоминаний", "%(n)s упоминания"],
    "Index pages": "Страницы указателя", "None yet.": "Пока нет.", "Home": "Главная",
    "The Xinjiang border crisis of 1962: the minutes and the memorandum of 8 June 1962": "Пограничный кризис в Синьцзяне 1962 года: запись беседы и меморандум от 8 июня 1962 года",
    "About this edition": "Об издании", "No document matches these filters.": "Ни один документ не подходит под эти фильтры.",
    "Show all documents": "Показать все документы", "Document list pages": "Страницы списка документов",
    "The whole edition with its notes as footnotes:": "Всё издание с примечаниями в виде сносок:",
    "Read %(a)s and %(b)s side by side": "Читать параллельно: %(a)s и %(b)s", "Documents by date": "Документы по датам",
    "%(n)s dated document matching the filters": ["%(n)s датированный документ по этим фильтрам", "%(n)s датированных документа по этим фильтрам", "%(n)s датированных документов по этим фильтрам", "%(n)s датированного документа по этим фильтрам"],
    "%(n)s dated document": ["%(n)s датированный документ", "%(n)s датированных документа", "%(n)s датированных документов", "%(n)s датированного документа"],
    "by month; each bar lists that month’s documents.": "по месяцам; каждый столбец перечисляет документы своего месяца.",
    "by year; each bar lists that year’s documents.": "по годам; каждый столбец перечисляет документы своего года.",
    "Timeline of the dates the texts mention": "Хронология дат, упомянутых в текстах",
    "%(n)s mention of dated events; each links to its passage.": ["%(n)s упоминание датированных событий; каждое ведёт к своему фрагменту.", "%(n)s упоминания датированных событий; каждое ведёт к своему фрагменту.", "%(n)s упоминаний датированных событий; каждое ведёт к своему фрагменту.", "%(n)s упоминания датированных событий; каждое ведёт к своему фрагменту."],
    "%(n)s mention of dated events in the documents listed on this page; each links to its passage.": ["%(n)s упоминание датированных событий в документах этой страницы; каждое ведёт к своему фрагменту.", "%(n)s упоминания датированных событий в документах этой страницы; каждое ведёт к своему фрагменту.", "%(n)s упоминаний датированных событий в документах этой страницы; каждое ведёт к своему фрагменту.", "%(n)s упоминания датированных событий в документах этой страницы; каждое ведёт к своему фрагменту."],
    "No dated events yet.": "Датированных событий пока нет.", "Search:": "Поиск:", "Nothing to search for in “%(q)s”": "В «%(q)s» нечего искать",
    "How to search": "Как искать", "No results for %(query)s": "Нет результатов по запросу %(query)s",
    "%(first)s–%(last)s of %(total)s result for %(query)s": ["%(first)s–%(last)s из %(total)s результата по запросу %(query)s", "%(first)s–%(last)s из %(total)s результатов по запросу %(query)s", "%(first)s–%(last)s из %(total)s результатов по запросу %(query)s", "%(first)s–%(last)s из %(total)s результата по запросу %(query)s"],
    "%(first)s–%(last)s of more than %(total)s result for %(query)s": ["%(first)s–%(last)s из более чем %(total)s результата по запросу %(query)s", "%(first)s–%(last)s из более чем %(total)s результатов по запросу %(query)s", "%(first)s–%(last)s из более чем %(total)s результатов по запросу %(query)s", "%(first)s–%(last)s из более чем %(total)s результата по запросу %(query)s"],
    "Turn": "Реплика", "Result pages": "Страницы результатов", "← Previous": "← Назад", "Page %(n)s of %(total)s": "Страница %(n)s из %(total)s",
    "Next →": "Далее →", "Cite": "Цитировать", "this paragraph": "этот абзац", "Cite this document": "Цитировать этот документ",
    "Copy Chicago citation": "Копировать ссылку в стиле Chicago", "Copy APA citation": "Копировать ссылку в стиле APA",
    "Permalink to version %(number)s": "Постоянная ссылка на версию %(number)s", "Permalink": "Постоянная ссылка", "Version": "Версия",
    "Accessed": "Дата обращения:", "last modified": "последнее изменение:", "Download for a reference manager:": "Скачать для менеджера библиографии:",
    "The text with its notes as footnotes:": "Текст с примечаниями в виде сносок:", "Series": "Серия", "Volume": "Том",
    "Editor": ["Редактор", "Редакторы", "Редакторы", "Редакторы"], "Author": ["Автор", "Авторы", "Авторы", "Авторы"], "Published by": "Издатель",
    "front and back matter, headings and headnotes": "вступительные и заключительные части, заголовки и вводные заметки",
    "%(n)s document": ["%(n)s документ", "%(n)s документа", "%(n)s документов", "%(n)s документа"], ("from a date to a date", "to"): "—",
    "No collections have been imported yet.": "Собрания ещё не импортированы.", "All %(n)s collections": "Все собрания (%(n)s)",
    "In the collection": "В собрании", ("in a collection", "In"): "В собрании", "Previous document:": "Предыдущий документ:",
    "Next document:": "Следующий документ:", "Reading text": "Текст для чтения", "Diplomatic text": "Дипломатический текст",
    "show diplomatic": "показать дипломатический", "show reading": "показать для чтения", "linked:": "связано:",
    "Venue": "Место", "Review": "Проверка", "Participants": "Участники", "Source of the text": "Источник текста",
    "Reading options": "Параметры чтения", "Text view": "Представление текста", "All speakers": "Все говорящие",
    ("speaker filter button", "Show"): "Показать", "Side by side with the %(kind)s": "Параллельно с документом «%(kind)s»",
    "Reading and diplomatic side by side": "Текст для чтения и дипломатический параллельно", "Plain text": "Простой текст",
    "Version %(number)s": "Версия %(number)s", "history and changes": "история и изменения", "Interface language": "Язык интерфейса",
    ("language switcher button", "Change"): "Сменить", "Last modified": "Последнее изменение:",
    "Cite paragraph %(number)s": "Цитировать абзац %(number)s", "Notes on paragraph %(number)s": "Примечания к абзацу %(number)s",
    "Back to the text of note %(label)s": "Назад к тексту примечания %(label)s", "draft": "черновик",
    "Permalink to turn %(label)s": "Постоянная ссылка на реплику: %(label)s", "Permalink to paragraph %(label)s": "Постоянная ссылка на абзац %(label)s",
    "Copy link to turn %(label)s": "Копировать ссылку на реплику: %(label)s", "Copy link to paragraph %(label)s": "Копировать ссылку на абзац %(label)s",
    "Copy link": "Копировать ссылку", "coordinates from": "координаты:", "Not on the map:": "Нет на карте:",
    "No place here has point coordinates in the entity list.": "Ни у одного из этих мест нет координат в списке сущностей.",
    "the places index": "указатель мест", "Pages of this document (top)": "Страницы этого документа (вверху)",
    "Pages of this document (bottom)": "Страницы этого документа (внизу)", "← Previous page": "← Предыдущая страница", "Next page →": "Следующая страница →",
    "Search the edition": "Поиск по изданию", "Refine": "Уточнить", "Active filters": "Действующие фильтры",
    "Remove filter %(param)s: %(value)s": "Убрать фильтр %(param)s: %(value)s", "results": "результатов",
    "Date range": "Диапазон дат", "From": "С", ("date range", "To"): "По", "Apply dates": "Применить даты", "Note": "Примечание",
    "on “%(exact)s”": "к «%(exact)s»", "Passage %(anchor)s": "Фрагмент %(anchor)s", "Mentions:": "Упоминания:",
    "Read “%(heading)s”": "Читать «%(heading)s»", "%(n)s words": "слов: %(n)s",
    "Made from a name the TEI does not point to an entity list; not yet reviewed by an editor": "Создано по имени, которое в TEI не связано со списком сущностей; редактор ещё не проверил",
    "Map of the places of the edition": "Карта мест издания", "Places mentioned in %(title)s": "Места, упомянутые в документе «%(title)s»",
    "Words supplied by the translator": "Слова, добавленные переводчиком", "Words supplied by the editors": "Слова, добавленные редакторами",
    "Editors' correction; the witness reads “%(words)s”": "Исправление редакторов; в источнике: «%(words)s»",
    "Corrected in the reading text to “%(words)s”": "В тексте для чтения исправлено на «%(words)s»",
    "Page %(n)s": "Страница %(n)s", "Page break": "Разрыв страницы", "Gap in the witness (%(words)s)": "Пропуск в источнике (%(words)s)",
    "Filter and sort the documents": "Фильтры и сортировка документов", "All types": "Все типы",
    "A year (1918), a month (1918-03) or a day (1918-03-15).": "Год (1918), месяц (1918-03) или день (1918-03-15).",
    "Any speaker": "Любой говорящий", "Sort by": "Сортировка", "Edition order": "Порядок издания", "Show documents": "Показать документы",
    "Clear filters": "Сбросить фильтры", ("date filter label", "to"): "по", "Source note": "Сведения об источнике", "Archive": "Архив", "File and pages": "Дело и листы",
    "Original language": "Язык оригинала", "Translator": "Переводчик", "Chain of translation": "Цепочка переводов",
    "Published record": "Опубликованная запись", "Rights in the translation": "Права на перевод", "Our witness": "Наш источник текста",
    "The source description in full": "Полное описание источника", "Related records of the same exchange": "Связанные записи того же обмена",
    "Find documents in this collection": "Поиск документов в этом собрании", "Show the contents": "Показать содержание",
    "No document of this collection matches these filters.": "Ни один документ этого собрания не подходит под эти фильтры.",
    "Matching documents pages": "Страницы найденных документов",
    "%(n)s document of this collection matches.": ["Подходит %(n)s документ этого собрания.", "Подходят %(n)s документа этого собрания.", "Подходят %(n)s документов этого собрания.", "Подходят %(n)s документа этого собрания."],
    "%(n)s dated document of this collection": ["%(n)s датированный документ этого собрания", "%(n)s датированных документа этого собрания", "%(n)s датированных документов этого собрания", "%(n)s датированного документа этого собрания"],
    "Gap in the witness (omitted)": "Пропуск в источнике (опущено)", "Note %(n)s": "Примечание %(n)s",
    "Note %(n)s (draft)": "Примечание %(n)s (черновик)",
}

UG = {
    "Minutes": "يىغىن خاتىرىسى", "Memorandum": "ئەسلەتمە", "Other": "باشقا",
    "Date": "چېسلا", "Document": "ھۆججەت", "Speaker": "سۆزلىگۈچى", "Type": "تۈر",
    "People": "كىشىلەر", "Places": "جايلار", "Organisations": "تەشكىلاتلار",
    "Edition": "نەشر", "Xinjiang 1962": "شىنجاڭ 1962", "Skip to content": "مەزمۇنغا ئۆتۈش",
    "minutes &amp; memorandum": "يىغىن خاتىرىسى ۋە ئەسلەتمە", "Site": "تور بېكەت", "Documents": "ھۆججەتلەر", "Search": "ئىزدەش",
    "Collection": "توپلام", "Contents": "مۇندەرىجە", "Collections": "توپلاملار",
    "Side by side": "يانمۇيان", "Side by side:": "يانمۇيان:",
    "Show the whole document": "پۈتۈن ھۆججەتنى كۆرسىتىش", "Unknown speaker": "نامەلۇم سۆزلىگۈچى",
    "Also:": "يەنە:", "Roles": "رولى", "Members": "ئەزالار", "No mentions.": "تىلغا ئېلىنمىغان.",
    "unreviewed": "تەكشۈرۈلمىگەن", "%(n)s document": ["%(n)s ھۆججەت", "%(n)s ھۆججەت"],
    "None yet.": "تېخى يوق.", "Home": "باش بەت",
    "The Xinjiang border crisis of 1962: the minutes and the memorandum of 8 June 1962": "1962-يىلىدىكى شىنجاڭ چېگرا كرىزىسى: 1962-يىل 8-ئىيۇندىكى يىغىن خاتىرىسى ۋە ئەسلەتمە",
    "About this edition": "بۇ نەشر ھەققىدە", "Show all documents": "بارلىق ھۆججەتلەرنى كۆرسىتىش",
    "Documents by date": "چېسلا بويىچە ھۆججەتلەر", "No dated events yet.": "تېخى چېسلالىق ۋەقە يوق.",
    "How to search": "قانداق ئىزدەش", "Turn": "سۆز نۆۋىتى", "← Previous": "→ ئالدىنقى", "Next →": "كېيىنكى ←",
    "Page %(n)s of %(total)s": "%(total)s بەتتىن %(n)s-بەت",
    "Cite": "نەقىل", "Permalink": "مەڭگۈلۈك ئۇلانما", "Version": "نۇسخا", "Version %(number)s": "%(number)s-نۇسخا",
    "Copy link": "ئۇلانمىنى كۆچۈرۈش", "Series": "يۈرۈشلۈك", "Volume": "توم",
    "Editor": ["تەھرىر", "تەھرىرلەر"], "Author": ["ئاپتور", "ئاپتورلار"], "Published by": "نەشر قىلغۇچى",
    "Previous document:": "ئالدىنقى ھۆججەت:", "Next document:": "كېيىنكى ھۆججەت:", "In the collection": "توپلامدا",
    "Venue": "ئورنى", "Participants": "قاتناشقۇچىلار", "Source of the text": "تېكىستنىڭ مەنبەسى",
    "All speakers": "بارلىق سۆزلىگۈچىلەر", ("speaker filter button", "Show"): "كۆرسىتىش", "Plain text": "ساپ تېكىست",
    "Interface language": "كۆرۈنمە يۈز تىلى", ("language switcher button", "Change"): "ئالماشتۇرۇش",
    "draft": "لايىھە", "Search the edition": "نەشردىن ئىزدەش", "Date range": "چېسلا دائىرىسى",
    "Note": "ئىزاھات", "Mentions:": "تىلغا ئېلىنىشى:", "Refine": "تارايتىش",
    "Last modified": "ئاخىرقى ئۆزگەرتىلگەن ۋاقتى", "Accessed": "زىيارەت قىلىنغان ۋاقتى",
    "%(n)s mention": ["%(n)s قېتىم تىلغا ئېلىنغان", "%(n)s قېتىم تىلغا ئېلىنغان"],
    "Note %(n)s": "%(n)s-ئىزاھات", "Page %(n)s": "%(n)s-بەت", ("from a date to a date", "to"): "–",
    "All types": "بارلىق تۈرلەر", "Source note": "مەنبە ئىزاھاتى", "Archive": "ئارخىپ", "Translator": "تەرجىمان",
    "Cite this document": "بۇ ھۆججەتنى نەقىل كەلتۈرۈش",
}

CATALOGUES = {"zh_Hans": ZH, "ru": RU, "ug": UG}
REVIEW = "needs review by a native speaker"


def mark(entry):
    """The review mark, as a translator comment (kept by makemessages/msgmerge) and an extracted comment
    (`#.`, which makemessages rewrites from the source: running this script again puts it back)."""
    for attr in ("tcomment", "comment"):
        text = getattr(entry, attr) or ""
        if REVIEW not in text:
            setattr(entry, attr, (text + "\n" if text else "") + REVIEW)


def fill(locale_dir):
    import polib

    for lang, table in CATALOGUES.items():
        path = locale_dir / lang / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(path), wrapwidth=120)
        po.metadata_is_fuzzy = False  # msgfmt skips a fuzzy header, and with it the charset and plural forms
        po.metadata.update({"Project-Id-Version": "edition", "Language": lang,
                            "Language-Team": "needs review by a native speaker"})
        for entry in po:
            key = (entry.msgctxt, entry.msgid) if entry.msgctxt else entry.msgid
            value = table.get(key)
            if "fuzzy" in entry.flags:  # msgmerge's guess from a similar string: never published unreviewed
                entry.flags.remove("fuzzy")
                entry.msgstr, entry.msgstr_plural = "", {k: "" for k in entry.msgstr_plural}
                entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            if entry.translated():
                mark(entry)
            if value is None or entry.translated():
                continue
            if entry.msgid_plural:
                forms = value if isinstance(value, list) else [value]
                count = int(po.metadata["Plural-Forms"].split("nplurals=")[1].split(";")[0])
                forms = (forms + [forms[-1]] * count)[:count]
                entry.msgstr_plural = dict(enumerate(forms))
            else:
                entry.msgstr = value
            mark(entry)
        po.save(str(path))
        po.save_as_mofile(str(path.with_suffix(".mo")))


if __name__ == "__main__":
    from pathlib import Path

    fill(Path(__file__).resolve().parent)
