"""Writes Resumo's offline demo corpus: short news-like texts in Brazilian Portuguese with 1-2
sentence reference summaries, written for this project from templates and word lists below
(seeded, so the file is reproducible). Places are real Brazilian cities and states; clubs,
companies, people and figures are invented.

Each summary restates the lead facts of its text (who, what, where, how many), so a small model
can learn to summarize it. Output: train/src/main/resources/dev/resumo/train/demo/corpus.jsonl,
rows {"id", "text", "summary", "split"} with 80% train / 10% validation / 10% test.

    python3 weights-tools/make_demo_corpus.py
"""
import json
import os
import random

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "train", "src", "main", "resources", "dev", "resumo", "train", "demo", "corpus.jsonl")
SEED = 2026
PAIRS = 240

CITIES = ["São Paulo", "Belo Horizonte", "Curitiba", "Salvador", "Fortaleza", "Manaus", "Belém", "Goiânia",
          "Porto Alegre", "Florianópolis", "Campinas", "Natal", "Teresina", "João Pessoa", "Maceió", "Aracaju",
          "Cuiabá", "Campo Grande", "Londrina", "Uberlândia", "Sorocaba", "Joinville", "Niterói", "Vitória",
          "São Luís", "Ribeirão Preto", "Juiz de Fora", "Santos", "Blumenau", "Petrolina", "Macapá", "Boa Vista",
          "Palmas", "Porto Velho", "Rio Branco", "Caxias do Sul", "Pelotas", "Maringá", "Cascavel", "Chapecó",
          "Feira de Santana", "Vitória da Conquista", "Caruaru", "Mossoró", "Campina Grande", "Anápolis", "Dourados",
          "Montes Claros", "Bauru", "Piracicaba", "São José dos Campos", "Jundiaí", "Itajaí", "Ilhéus", "Imperatriz",
          "Parnaíba", "Sobral", "Juazeiro do Norte", "Arapiraca", "Marabá", "Santarém", "Parintins"]
# (name, "em" form, "de" form)
STATES = [("Goiás", "em Goiás", "de Goiás"), ("Paraná", "no Paraná", "do Paraná"),
          ("Mato Grosso", "em Mato Grosso", "de Mato Grosso"), ("Bahia", "na Bahia", "da Bahia"),
          ("Minas Gerais", "em Minas Gerais", "de Minas Gerais"), ("Rio Grande do Sul", "no Rio Grande do Sul", "do Rio Grande do Sul"),
          ("Piauí", "no Piauí", "do Piauí"), ("Maranhão", "no Maranhão", "do Maranhão"),
          ("Tocantins", "no Tocantins", "do Tocantins"), ("Mato Grosso do Sul", "em Mato Grosso do Sul", "de Mato Grosso do Sul"),
          ("Santa Catarina", "em Santa Catarina", "de Santa Catarina"), ("Pernambuco", "em Pernambuco", "de Pernambuco")]
DAYS = ["nesta segunda-feira", "nesta terça-feira", "nesta quarta-feira", "nesta quinta-feira",
        "nesta sexta-feira", "neste sábado", "neste domingo"]
MONTHS = ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro",
          "outubro", "novembro", "dezembro"]
FIRST_F = ["Ana", "Mariana", "Fernanda", "Juliana", "Beatriz", "Luciana", "Patrícia", "Camila", "Renata", "Aline",
           "Raquel", "Tatiana", "Débora", "Helena", "Vanessa", "Larissa", "Cláudia", "Simone", "Gabriela", "Priscila"]
FIRST_M = ["Carlos", "José", "Paulo", "Ricardo", "Marcos", "Rafael", "André", "Eduardo", "Gustavo", "Sérgio",
           "Fábio", "Rodrigo", "Leandro", "Thiago", "Vinícius", "Roberto", "Márcio", "Henrique", "Otávio", "Caio"]
LAST = ["Souza", "Oliveira", "Santos", "Lima", "Pereira", "Almeida", "Costa", "Ribeiro", "Carvalho", "Gomes",
        "Martins", "Araújo", "Barbosa", "Rocha", "Nascimento", "Moreira", "Cardoso", "Teixeira", "Monteiro",
        "Cavalcanti", "Freitas", "Mendes", "Vasconcelos", "Bezerra", "Siqueira", "Figueiredo", "Queiroz", "Brandão"]
CLUBS = ["Atlético Serrano", "Esporte Clube Litoral", "Grêmio Vale Verde", "União Planaltina", "Ferroviário do Norte",
         "Operário Central", "América do Cerrado", "Independente da Serra", "Náutico Ribeirinho", "Cruzeiro do Agreste"]
UNIVERSITIES = ["Universidade Federal do Pará", "Universidade de São Paulo", "Universidade Federal de Minas Gerais",
                "Universidade Federal da Bahia", "Universidade Estadual de Campinas", "Universidade Federal do Amazonas",
                "Universidade Federal de Goiás", "Universidade Federal do Rio Grande do Sul"]


def said(r, quote, masc, fem, verb=None):
    """A closing quote with a speaker whose title agrees in gender: '"...", disse a secretária Ana Lima.'"""
    female = r.random() < 0.5
    name = f"{r.choice(FIRST_F if female else FIRST_M)} {r.choice(LAST)}"
    title = fem if female else masc
    if any(w in title for w in (" da ", " de ", " do ")):  # "o coordenador da Defesa Civil, José Lima"
        title += ","
    verb = verb or r.choice(["disse", "afirmou"])
    return f"\"{quote}\", {verb} {title} {name}."


def fmt(n):
    """Brazilian thousands separator: 12.500."""
    return f"{n:,}".replace(",", ".")


def body(r, pool, k_min=4, k_max=5, closing=None):
    chosen = r.sample(pool, r.randint(k_min, min(k_max, len(pool))))
    if closing:
        chosen.append(r.choice(closing))
    return " ".join(chosen)


def creches(r):
    city, day, n = r.choice(CITIES), r.choice(DAYS), r.choice(range(120, 1500, 20))
    kind = r.choice(["creches", "escolas de tempo integral", "cursos técnicos gratuitos"])
    place = {"creches": "nas creches", "escolas de tempo integral": "nas escolas", "cursos técnicos gratuitos": "nos cursos"}[kind]
    lead = f"A prefeitura de {city} anunciou {day} a abertura de {fmt(n)} vagas em {kind}."
    pool = [f"As inscrições podem ser feitas pela internet ou nas unidades de atendimento da cidade.",
            f"Segundo a Secretaria de Educação, a procura cresceu nos últimos dois anos e a fila de espera ainda é grande.",
            f"As vagas serão distribuídas entre as regiões norte, sul, leste e oeste do município.",
            f"Famílias inscritas no cadastro social terão prioridade na seleção.",
            f"O resultado da seleção será publicado no diário oficial do município.",
            f"A prefeitura afirma que vai contratar novos professores para atender os alunos {place}."]
    closing = [said(r, "Queremos que nenhuma família fique sem atendimento", "o secretário", "a secretária", "disse"),
               said(r, "É o maior número de vagas abertas de uma só vez", "o secretário", "a secretária", "afirmou")]
    text = f"{lead} {body(r, pool, closing=closing)}"
    summary = f"A prefeitura de {city} abriu {fmt(n)} vagas em {kind}."
    return text, summary


def vacina(r):
    city, n = r.choice(CITIES), r.choice(range(8000, 95000, 500))
    disease = r.choice(["a gripe", "a dengue", "o sarampo", "a febre amarela"])
    weeks = r.choice(["duas", "três", "quatro"])
    lead = f"A Secretaria de Saúde de {city} vacinou {fmt(n)} pessoas contra {disease} nas últimas {weeks} semanas."
    pool = [f"A campanha continua nos postos de saúde de segunda a sábado, das 8h às 17h.",
            f"Crianças, idosos e gestantes são o público prioritário da campanha.",
            f"Quem for se vacinar deve levar documento com foto e a caderneta de vacinação.",
            f"A meta é imunizar 90% do público-alvo até o fim do próximo mês.",
            f"Postos volantes também foram instalados em escolas e terminais de ônibus.",
            f"De acordo com a secretaria, a procura foi maior nos bairros da periferia."]
    closing = [said(r, "A vacina é segura e é a melhor forma de proteção", "o coordenador", "a coordenadora", "afirmou"),
               said(r, "Ainda há doses suficientes para todos", "o secretário", "a secretária", "disse")]
    text = f"{lead} {body(r, pool, closing=closing)}"
    summary = f"{city} vacinou {fmt(n)} pessoas contra {disease} em {weeks} semanas."
    return text, summary


def futebol(r):
    home, away = r.sample(CLUBS, 2)
    a, b = r.randint(1, 4), r.randint(0, 3)
    if a <= b:
        a = b + 1
    city, day, rnd = r.choice(CITIES), r.choice(DAYS), r.randint(2, 30)
    comp, of, by = r.choice([("Campeonato Regional", "do", "pelo"), ("Copa do Interior", "da", "pela"),
                             ("Torneio das Capitais", "do", "pelo")])
    scorer = f"{r.choice(FIRST_M)} {r.choice(LAST)}"
    lead = f"O {home} venceu o {away} por {a} a {b} {day}, em {city}, pela {rnd}ª rodada {of} {comp}."
    pool = [f"O primeiro gol saiu ainda no primeiro tempo, em cobrança de escanteio.",
            f"O atacante {scorer} foi o destaque da partida e recebeu aplausos da torcida.",
            f"O estádio recebeu cerca de {fmt(r.choice(range(4000, 30000, 500)))} torcedores.",
            f"Com o resultado, o {home} subiu na tabela de classificação.",
            f"O {away} reclamou da arbitragem em um lance no fim do jogo.",
            f"A próxima partida do {home} será fora de casa, no domingo que vem."]
    closing = [said(r, "O grupo mostrou força e não desistiu", "o técnico", "a técnica", "disse"),
               said(r, "Foi uma vitória importante para a sequência do campeonato", "o capitão", "a capitã", "afirmou")]
    text = f"{lead} {body(r, pool, closing=closing)}"
    summary = f"O {home} venceu o {away} por {a} a {b} em {city}, {by} {comp}."
    return text, summary


def safra(r):
    name, em, de = r.choice(STATES)
    crop, unit, amounts = r.choice([("soja", "milhões de toneladas", range(2, 40)), ("milho", "milhões de toneladas", range(2, 30)),
                                    ("café", "milhões de sacas", range(1, 25)), ("algodão", "mil toneladas", range(100, 900, 10)),
                                    ("feijão", "mil toneladas", range(80, 700, 10)), ("arroz", "mil toneladas", range(150, 990, 10))])
    tons = r.choice(amounts)
    pct = r.choice(range(3, 25))
    source = r.choice(["a Conab", "a secretaria estadual de Agricultura", "o instituto de pesquisa agropecuária"])
    lead = (f"A produção de {crop} {em} deve chegar a {tons} {unit} nesta safra, "
            f"alta de {pct}% em relação ao ano passado, segundo {source}.")
    pool = [f"O clima favorável durante o plantio ajudou no crescimento da produtividade.",
            f"A área plantada também aumentou, principalmente em propriedades de médio porte.",
            f"Produtores ainda se preocupam com o custo do frete e dos fertilizantes.",
            f"Parte da colheita deve ser exportada para a China e para a Europa.",
            f"Cooperativas da região investiram em armazéns para guardar a produção.",
            f"A colheita deve terminar até o fim de {r.choice(MONTHS)}."]
    closing = [said(r, "É uma safra histórica para o estado", "o presidente da federação agrícola", "a presidente da federação agrícola", "disse"),
               said(r, "O produtor investiu em tecnologia e agora colhe o resultado", "o agrônomo", "a agrônoma", "afirmou")]
    text = f"{lead} {body(r, pool, closing=closing)}"
    summary = f"A safra de {crop} {de} deve crescer {pct}% e chegar a {tons} {unit}."
    return text, summary


def chuva(r):
    city, day = r.choice(CITIES), r.choice(DAYS)
    mm, fam = r.choice(range(40, 180, 5)), r.choice(range(15, 600, 5))
    lead = (f"Uma chuva de {mm} milímetros atingiu {city} {day} e deixou {fmt(fam)} famílias desalojadas, "
            f"segundo a Defesa Civil.")
    pool = [f"Ruas do centro ficaram alagadas e o trânsito foi interrompido em vários pontos.",
            f"As famílias foram levadas para escolas e ginásios que funcionam como abrigos.",
            f"Não houve registro de feridos, de acordo com o Corpo de Bombeiros.",
            f"A previsão é de mais chuva nos próximos dias, com alerta para risco de deslizamentos.",
            f"Equipes da prefeitura trabalham na limpeza das vias e na retirada de árvores caídas.",
            f"Moradores relataram que a água chegou a um metro de altura em algumas casas."]
    closing = [said(r, "Pedimos que as pessoas evitem áreas de risco", "o coordenador da Defesa Civil", "a coordenadora da Defesa Civil", "disse"),
               said(r, "Choveu em poucas horas o esperado para o mês inteiro", "o meteorologista", "a meteorologista", "afirmou")]
    text = f"{lead} {body(r, pool, closing=closing)}"
    summary = f"Chuva de {mm} milímetros deixou {fmt(fam)} famílias desalojadas em {city}."
    return text, summary


def onibus(r):
    city, n, money = r.choice(CITIES), r.randint(3, 25), r.choice(range(20, 400, 5))
    vehicle = r.choice(["ônibus elétricos", "linhas de BRT", "ciclovias"])
    unit = {"ônibus elétricos": "novos ônibus elétricos", "linhas de BRT": "novas linhas de BRT",
            "ciclovias": "novas ciclovias"}[vehicle]
    lead = f"{city} vai ganhar {n} {unit}, com investimento de R$ {money} milhões, anunciou a prefeitura {r.choice(DAYS)}."
    pool = [f"As obras devem começar no próximo semestre e durar cerca de dois anos.",
            f"O dinheiro vem de um financiamento federal e de recursos próprios do município.",
            f"A expectativa é reduzir o tempo de viagem de quem mora nos bairros mais distantes.",
            f"Os primeiros trechos devem atender a região central e a zona norte.",
            f"Especialistas em mobilidade elogiaram o projeto, mas cobram mais integração com o metrô.",
            f"A tarifa não deve mudar com a chegada do novo sistema, segundo a prefeitura."]
    closing = [said(r, "É o maior investimento em transporte da história da cidade", "o prefeito", "a prefeita", "disse"),
               said(r, "Vamos melhorar a vida de quem depende do transporte público", "o secretário", "a secretária", "afirmou")]
    text = f"{lead} {body(r, pool, closing=closing)}"
    summary = f"{city} terá {n} {unit}, com investimento de R$ {money} milhões."
    return text, summary


def especie(r):
    uni = r.choice(UNIVERSITIES)
    animal, what, sizes = r.choice([("sapo", "o animal", (1, 9)), ("orquídea", "a flor", (2, 12)), ("peixe", "o animal", (4, 40)),
                                    ("besouro", "o inseto", (1, 6)), ("lagarto", "o animal", (8, 35)), ("borboleta", "o inseto", (3, 12))])
    biome = r.choice(["na Mata Atlântica", "na Amazônia", "na Caatinga", "no Cerrado", "no Pantanal"])
    cm = r.randint(*sizes)
    lead = (f"Pesquisadores da {uni} descobriram uma nova espécie de {animal} {biome}. "
            f"Segundo a equipe, {what} mede cerca de {cm} centímetros.")
    pool = [f"A descoberta foi publicada em uma revista científica internacional.",
            f"A equipe passou dois anos fazendo coletas em áreas pouco estudadas.",
            f"Os cientistas alertam que o desmatamento ameaça o habitat da espécie.",
            f"Análises de DNA confirmaram que se trata de uma espécie diferente das já conhecidas.",
            f"O nome científico homenageia uma comunidade tradicional da região.",
            f"Novas expedições estão previstas para o próximo ano."]
    closing = [said(r, "Ainda conhecemos pouco da biodiversidade brasileira", "o biólogo", "a bióloga", "disse"),
               said(r, "Cada nova espécie mostra a importância de proteger essas áreas", "o pesquisador", "a pesquisadora", "afirmou")]
    text = f"{lead} {body(r, pool, closing=closing)}"
    summary = f"Pesquisadores da {uni} descobriram uma nova espécie de {animal} {biome}."
    return text, summary


def festival(r):
    city, day, n = r.choice(CITIES), r.choice(DAYS), r.randint(12, 120)
    kind = r.choice(["música", "cinema", "teatro", "literatura", "dança"])
    nights = r.choice(["três", "quatro", "cinco", "dez"])
    lead = f"O festival de {kind} de {city} começa {day} com {n} atrações gratuitas, distribuídas em {nights} dias de programação."
    pool = [f"As apresentações acontecem em praças, teatros e centros culturais da cidade.",
            f"A organização espera receber mais de {fmt(r.choice(range(5, 90)) * 1000)} visitantes.",
            f"Artistas locais dividem o palco com convidados de outros estados.",
            f"Haverá oficinas para crianças e adolescentes durante as tardes.",
            f"A programação completa está disponível no site da prefeitura.",
            f"O evento conta com intérpretes de Libras e espaços acessíveis."]
    closing = [said(r, "A cultura precisa ocupar as ruas", "o curador", "a curadora", "disse"),
               said(r, "Queremos que a cidade inteira participe", "o produtor", "a produtora", "afirmou")]
    text = f"{lead} {body(r, pool, closing=closing)}"
    summary = f"O festival de {kind} de {city} terá {n} atrações gratuitas em {nights} dias."
    return text, summary


def emprego(r):
    city, n, month = r.choice(CITIES), r.choice(range(800, 15000, 50)), r.choice(MONTHS)
    sector = r.choice(["serviços", "comércio", "construção civil", "indústria"])
    lead = (f"{city} criou {fmt(n)} vagas de emprego com carteira assinada em {month}, segundo dados do Ministério do Trabalho. "
            f"O setor de {sector} foi o que mais contratou.")
    pool = [f"O resultado é o melhor para o mês desde o início da série histórica.",
            f"A maior parte das vagas foi preenchida por jovens de 18 a 24 anos.",
            f"O salário médio de admissão ficou pouco acima de dois salários mínimos.",
            f"Economistas dizem que o ritmo deve diminuir no fim do ano.",
            f"A prefeitura atribui o crescimento à chegada de novas empresas.",
            f"Todas as regiões da cidade registraram saldo positivo de empregos."]
    closing = [said(r, "Os números mostram uma economia mais aquecida", "o economista", "a economista", "disse"),
               said(r, "Precisamos agora qualificar os trabalhadores", "o secretário de Desenvolvimento", "a secretária de Desenvolvimento", "afirmou")]
    text = f"{lead} {body(r, pool, k_min=3, k_max=4, closing=closing)}"
    summary = f"{city} criou {fmt(n)} empregos formais em {month}. O setor de {sector} foi o que mais contratou."
    return text, summary


def ibama(r):
    city, m3 = r.choice(CITIES), r.choice(range(50, 3000, 10))
    name, em, de = r.choice(STATES)
    lead = f"Fiscais do Ibama apreenderam {fmt(m3)} metros cúbicos de madeira ilegal em uma operação no interior {de}."
    pool = [f"A madeira estava escondida em galpões às margens de uma rodovia estadual.",
            f"Os responsáveis foram multados e podem responder por crime ambiental.",
            f"A operação contou com apoio da Polícia Militar e de drones de monitoramento.",
            f"Parte do material será doada para obras públicas após o fim do processo.",
            f"Imagens de satélite ajudaram a identificar as áreas de desmatamento.",
            f"Segundo o órgão, a quantidade apreendida encheria cerca de {fmt(m3 // 25 + 2)} caminhões."]
    closing = [said(r, "Vamos intensificar a fiscalização nos próximos meses", "o superintendente", "a superintendente", "disse"),
               said(r, "O desmatamento ilegal prejudica quem produz dentro da lei", "o analista ambiental", "a analista ambiental", "afirmou")]
    text = f"{lead} {body(r, pool, closing=closing)}"
    summary = f"O Ibama apreendeu {fmt(m3)} metros cúbicos de madeira ilegal no interior {de}."
    return text, summary


def startup(r):
    city, money = r.choice(CITIES), r.choice(range(2, 120))
    area = r.choice(["entregas", "telemedicina", "ensino de idiomas", "gestão agrícola", "pagamentos", "aluguel de bicicletas"])
    company = r.choice(["Rota", "Vitta", "Aprenda", "Campo", "Pix", "Giro"]) + r.choice(["Já", "Mais", "Tech", "Fácil", "Hub", "Up"])
    jobs = r.choice(range(20, 300, 10))
    lead = (f"A startup {company}, de {city}, recebeu um investimento de R$ {money} milhões para ampliar seu aplicativo de {area}. "
            f"A empresa pretende contratar {jobs} pessoas até o fim do ano.")
    pool = [f"O aplicativo já tem usuários em mais de dez estados.",
            f"Os recursos vêm de um fundo de investimento nacional.",
            f"A empresa foi criada há quatro anos por dois ex-alunos de uma universidade pública.",
            f"Parte do dinheiro será usada para desenvolver novas funções com inteligência artificial.",
            f"A meta é chegar a outros países da América Latina em dois anos."]
    closing = [said(r, f"Nascemos em {city} e queremos crescer sem sair daqui", "o fundador", "a fundadora", "disse"),
               said(r, "O investimento valida o nosso modelo de negócio", "o diretor-executivo", "a diretora-executiva", "afirmou")]
    text = f"{lead} {body(r, pool, k_min=3, k_max=4, closing=closing)}"
    summary = f"A startup {company}, de {city}, recebeu R$ {money} milhões para ampliar seu aplicativo de {area}. A empresa vai contratar {jobs} pessoas."
    return text, summary


def hospital(r):
    city, day, beds = r.choice(CITIES), r.choice(DAYS), r.choice(range(40, 400, 10))
    kind = r.choice(["hospital", "hospital infantil", "hospital regional", "centro de oncologia"])
    icu = max(8, beds // r.choice([4, 5, 6]))
    lead = f"O governo do estado inaugurou {day} um {kind} com {beds} leitos em {city}, sendo {icu} de UTI."
    pool = [f"A unidade vai atender moradores de toda a região metropolitana.",
            f"O atendimento será feito exclusivamente pelo Sistema Único de Saúde.",
            f"Foram contratados médicos, enfermeiros e técnicos por concurso público.",
            f"A obra durou três anos e enfrentou atrasos por falta de materiais.",
            f"O prédio tem centro cirúrgico, laboratório e setor de exames de imagem.",
            f"A expectativa é diminuir a fila de cirurgias na rede pública."]
    closing = [said(r, "É um sonho antigo da população", "o governador", "a governadora", "disse"),
               said(r, "Agora os pacientes não precisam mais viajar para ser atendidos", "o diretor", "a diretora", "afirmou")]
    text = f"{lead} {body(r, pool, closing=closing)}"
    summary = f"{city} ganhou um {kind} com {beds} leitos, {icu} deles de UTI."
    return text, summary


def olimpiada(r):
    city, n = r.choice(CITIES), r.randint(3, 28)
    school = r.choice(["Escola Estadual Monteiro Lobato", "Escola Municipal Cecília Meireles", "Colégio Estadual Machado de Assis",
                       "Escola Estadual Rachel de Queiroz", "Escola Municipal Paulo Freire"])
    subject = r.choice(["matemática", "física", "química", "astronomia", "robótica"])
    lead = f"Alunos da {school}, em {city}, conquistaram {n} medalhas na olimpíada nacional de {subject}, o melhor resultado da história da escola."
    pool = ["Os estudantes se preparavam em aulas extras aos sábados, com apoio voluntário de ex-alunos.",
            "Entre as medalhas, há ouro, prata e bronze, além de menções honrosas.",
            "A premiação nacional está marcada para o segundo semestre, em Brasília.",
            "A escola pública atende cerca de mil estudantes, a maioria de famílias de baixa renda.",
            "Parte dos medalhistas ganhou bolsas de iniciação científica em universidades federais.",
            "Os professores pretendem ampliar o grupo de estudos no próximo ano letivo."]
    closing = [said(r, "Esses jovens provam que a escola pública forma talentos", "o diretor", "a diretora", "disse"),
               said(r, "O segredo foi a dedicação dos alunos e das famílias", "o professor", "a professora", "afirmou")]
    text = f"{lead} {body(r, pool, closing=closing)}"
    summary = f"Alunos da {school}, em {city}, ganharam {n} medalhas na olimpíada nacional de {subject}."
    return text, summary


def aeroporto(r):
    city, month, pct = r.choice(CITIES), r.choice(MONTHS), r.randint(4, 38)
    n = r.choice(range(40, 900, 5)) * 1000
    lead = (f"O aeroporto de {city} recebeu {fmt(n)} passageiros em {month}, alta de {pct}% em relação ao mesmo mês "
            f"do ano passado, informou a concessionária que administra o terminal.")
    pool = ["Novas rotas para o Nordeste e para o exterior ajudaram a explicar o aumento.",
            "Companhias aéreas ampliaram o número de voos diários durante as férias escolares.",
            "O saguão de embarque passa por reforma para ganhar mais portões e lanchonetes.",
            "A concessionária promete concluir a ampliação da pista até o fim do ano que vem.",
            "Passageiros reclamam do preço do estacionamento e das filas no raio-x.",
            "O turismo de negócios também contribuiu para o movimento no terminal."]
    closing = [said(r, "É o melhor mês da história do aeroporto", "o superintendente", "a superintendente", "disse"),
               said(r, "A cidade se consolidou como destino turístico", "o secretário de Turismo", "a secretária de Turismo", "afirmou")]
    text = f"{lead} {body(r, pool, closing=closing)}"
    summary = f"O aeroporto de {city} recebeu {fmt(n)} passageiros em {month}, alta de {pct}%."
    return text, summary


def usina(r):
    city, panels, mw = r.choice(CITIES), r.choice(range(10, 300, 5)) * 1000, r.randint(5, 180)
    homes = mw * r.choice([700, 800, 900])
    lead = (f"Uma usina solar com {fmt(panels)} painéis começou a funcionar em {city}, com capacidade de {mw} megawatts, "
            f"o suficiente para abastecer cerca de {fmt(homes)} casas.")
    pool = ["A construção levou dezoito meses e gerou empregos temporários na região.",
            "A energia produzida será vendida no mercado livre para indústrias e shoppings.",
            "O terreno ocupado pela usina era usado antes como pasto degradado.",
            "A empresa responsável planeja instalar baterias para guardar energia à noite.",
            "Especialistas lembram que a energia solar já é a segunda maior fonte da matriz elétrica brasileira.",
            "A prefeitura vai receber parte dos impostos gerados pelo empreendimento."]
    closing = [said(r, "O sol é a nossa maior riqueza", "o diretor da empresa", "a diretora da empresa", "disse"),
               said(r, "A transição energética já é realidade no interior", "o engenheiro", "a engenheira", "afirmou")]
    text = f"{lead} {body(r, pool, closing=closing)}"
    summary = f"Usina solar com {mw} megawatts começou a funcionar em {city} e pode abastecer {fmt(homes)} casas."
    return text, summary


def saneamento(r):
    city, n, money = r.choice(CITIES), r.choice(range(12, 400)) * 100, r.choice(range(8, 250))
    service = r.choice(["água tratada", "coleta de esgoto"])
    lead = f"Obras de saneamento vão levar {service} a {fmt(n)} imóveis em bairros da periferia de {city}, com investimento de R$ {money} milhões."
    pool = ["Os trabalhos começam pelos bairros que ainda dependem de poços e fossas.",
            "A companhia de saneamento afirma que as ruas serão asfaltadas de novo após as obras.",
            "Moradores terão de fazer a ligação da casa à rede, com tarifa social para quem tem direito.",
            "O marco legal do saneamento prevê que quase toda a população tenha esses serviços até 2033.",
            "Médicos lembram que a falta de saneamento aumenta os casos de diarreia em crianças.",
            "O cronograma prevê a entrega de todas as etapas em até três anos."]
    closing = [said(r, "Saneamento é saúde e dignidade", "o presidente da companhia", "a presidente da companhia", "disse"),
               said(r, "Esperamos por isso há mais de vinte anos", "o morador", "a moradora", "afirmou")]
    text = f"{lead} {body(r, pool, closing=closing)}"
    summary = f"Obras vão levar {service} a {fmt(n)} imóveis em {city}, com investimento de R$ {money} milhões."
    return text, summary


def feriado(r):
    city, n, day = r.choice(CITIES), r.choice(range(30, 400, 5)) * 1000, r.choice(["sexta-feira", "quinta-feira"])
    holiday = r.choice(["Carnaval", "da Semana Santa", "de Finados", "de Corpus Christi", "da Proclamação da República"])
    holiday_txt = "o Carnaval" if holiday == "Carnaval" else f"o feriado {holiday}"
    lead = (f"Cerca de {fmt(n)} veículos devem deixar {city} durante {holiday_txt}, segundo a estimativa "
            f"da concessionária das rodovias que cortam a região.")
    pool = [f"O horário de maior movimento deve ser a tarde de {day}.",
            "A Polícia Rodoviária vai reforçar a fiscalização contra excesso de velocidade e álcool ao volante.",
            "Caminhões terão restrição de tráfego nos horários de pico.",
            "A recomendação é verificar pneus, freios e documentação antes de pegar a estrada.",
            "Os pedágios terão cabines extras para diminuir as filas.",
            "Quem viaja de ônibus deve chegar à rodoviária com uma hora de antecedência."]
    closing = [said(r, "Planejar a viagem evita congestionamentos e acidentes", "o inspetor", "a inspetora", "disse"),
               said(r, "Estamos preparados para o aumento do fluxo", "o gerente da concessionária", "a gerente da concessionária", "afirmou")]
    text = f"{lead} {body(r, pool, closing=closing)}"
    summary = f"Cerca de {fmt(n)} veículos devem deixar {city} durante {holiday_txt}."
    return text, summary


def biblioteca(r):
    city, n = r.choice(CITIES), r.choice(range(3, 90)) * 1000
    donor = r.choice(["um professor aposentado", "uma editora", "a família de um escritor", "um colecionador", "uma universidade"])
    lead = f"A biblioteca pública de {city} recebeu a doação de {fmt(n)} livros de {donor}, que serão incorporados ao acervo nos próximos meses."
    pool = ["Entre as obras há clássicos da literatura brasileira e edições raras do século passado.",
            "Os livros passam por limpeza e catalogação antes de chegar às estantes.",
            "A biblioteca também vai abrir uma sala de leitura para crianças.",
            "O empréstimo é gratuito e basta apresentar um comprovante de residência.",
            "Voluntários ajudam a organizar o material nos fins de semana.",
            "Parte dos exemplares repetidos será enviada a escolas da zona rural."]
    closing = [said(r, "Uma cidade que lê é uma cidade mais livre", "o bibliotecário", "a bibliotecária", "disse"),
               said(r, "Ficamos emocionados com a generosidade da doação", "o coordenador da biblioteca", "a coordenadora da biblioteca", "afirmou")]
    text = f"{lead} {body(r, pool, closing=closing)}"
    summary = f"A biblioteca pública de {city} recebeu {fmt(n)} livros doados por {donor}."
    return text, summary


def resgate(r):
    city, n = r.choice(CITIES), r.randint(6, 140)
    animal = r.choice(["cães", "gatos", "cavalos", "aves silvestres", "tartarugas"])
    where = r.choice(["em um imóvel abandonado", "em uma área alagada", "em uma feira clandestina", "em um sítio"])
    lead = f"Bombeiros e voluntários resgataram {n} {animal} {where} em {city}, após denúncia de moradores."
    pool = ["Os animais estavam sem água, sem comida e alguns apresentavam ferimentos.",
            "Veterinários da prefeitura fizeram o primeiro atendimento ainda no local.",
            "Os animais recuperados poderão ser adotados a partir do mês que vem.",
            "O responsável pode responder por maus-tratos, crime com pena de prisão.",
            "Uma campanha arrecada ração, remédios e cobertores para o abrigo municipal.",
            "A operação durou mais de seis horas por causa do difícil acesso ao lugar."]
    closing = [said(r, "Foi uma das situações mais tristes que já vimos", "o tenente", "a tenente", "disse"),
               said(r, "Agora eles precisam de um lar definitivo", "o veterinário", "a veterinária", "afirmou")]
    text = f"{lead} {body(r, pool, closing=closing)}"
    summary = f"Bombeiros resgataram {n} {animal} {where} em {city}."
    return text, summary


def restituicao(r):
    n, money, day = r.choice(range(200, 990, 10)), r.choice(range(5, 95)) / 10, r.choice(DAYS)
    lote = r.choice(["primeiro", "segundo", "terceiro", "quarto", "quinto"])
    lead = (f"A Receita Federal paga {day} o {lote} lote de restituição do Imposto de Renda a {fmt(n)} mil contribuintes, "
            f"no valor total de R$ {str(money).replace('.', ',')} bilhões.")
    pool = ["Têm prioridade idosos, pessoas com deficiência e professores.",
            "A consulta pode ser feita pelo site da Receita ou pelo aplicativo no celular.",
            "Quem não encontrar o nome na lista deve verificar se a declaração caiu na malha fina.",
            "O dinheiro é depositado na conta informada pelo contribuinte na declaração.",
            "O valor é corrigido pela taxa Selic desde o fim do prazo de entrega.",
            "Contribuintes que usaram a declaração pré-preenchida também têm preferência."]
    closing = [said(r, "A maior parte dos pagamentos sai até o terceiro lote", "o auditor fiscal", "a auditora fiscal", "disse"),
               said(r, "Vale conferir se não há pendências na declaração", "o contador", "a contadora", "afirmou")]
    text = f"{lead} {body(r, pool, closing=closing)}"
    summary = f"A Receita Federal paga o {lote} lote de restituição a {fmt(n)} mil contribuintes, num total de R$ {str(money).replace('.', ',')} bilhões."
    return text, summary


TOPICS = [creches, vacina, futebol, safra, chuva, onibus, especie, festival, emprego, ibama, startup, hospital,
          olimpiada, aeroporto, usina, saneamento, feriado, biblioteca, resgate, restituicao]


def main():
    r = random.Random(SEED)
    rows, seen = [], set()
    while len(rows) < PAIRS:
        topic = TOPICS[len(rows) % len(TOPICS)]
        text, summary = topic(r)
        if text in seen:
            continue
        seen.add(text)
        words = len(text.split())
        assert 60 <= words <= 150, (words, text)
        rows.append({"id": f"demo-{len(rows) + 1:03d}", "text": text, "summary": summary})
    order = list(range(PAIRS))
    r.shuffle(order)
    n_test = n_val = PAIRS // 10
    split = {}
    for k, i in enumerate(order):
        split[i] = "test" if k < n_test else "validation" if k < n_test + n_val else "train"
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        for i, row in enumerate(rows):
            row["split"] = split[i]
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    lens = sorted(len(x["text"].split()) for x in rows)
    print(f"wrote {OUT}: {len(rows)} pairs, text words min {lens[0]} median {lens[len(lens) // 2]} max {lens[-1]}, "
          f"{os.path.getsize(OUT)} bytes")


if __name__ == "__main__":
    main()
